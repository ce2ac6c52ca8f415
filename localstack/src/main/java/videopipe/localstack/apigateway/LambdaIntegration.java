package videopipe.localstack.apigateway;

/**
 * How the gateway reaches a function: the event's JSON in, the function's JSON answer out, as the
 * Lambda Invoke API carries them. The local stack does not compile against the functions, so the
 * gateway takes this seam: the local Lambda runtime (the functions' jar, one class loader per
 * function) is one implementation, and the functions' own tests, which run the beans through
 * Spring Cloud Function's {@code FunctionInvoker} in process, are another.
 */
@FunctionalInterface
public interface LambdaIntegration {

  /**
   * Invokes {@code functionName} synchronously with {@code eventJson}.
   *
   * @return the function's answer, as JSON bytes
   * @throws Exception when the function fails (Lambda's {@code X-Amz-Function-Error}), which API
   *     Gateway answers with 500
   */
  byte[] invoke(String functionName, byte[] eventJson) throws Exception;
}
