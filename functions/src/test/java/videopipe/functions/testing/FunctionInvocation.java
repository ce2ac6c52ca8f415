package videopipe.functions.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One invocation as Lambda makes it: Spring Cloud Function's own {@code FunctionInvoker} (the
 * handler of every Lambda of ours) selects the bean by name and gets the very JSON Lambda sends.
 * Configuration comes from Spring's environment: the caller sets system properties.
 */
public final class FunctionInvocation {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private FunctionInvocation() {}

  /** Runs {@code function} on {@code json} and returns what Lambda would answer; its errors go out. */
  public static JsonNode invoke(String function, String json) throws Exception {
    FunctionInvoker invoker = new FunctionInvoker(function);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    invoker.handleRequest(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), out,
        new LambdaContext(function));
    return JSON.readTree(out.toString(StandardCharsets.UTF_8));
  }
}
