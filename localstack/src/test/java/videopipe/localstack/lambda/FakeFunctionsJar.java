package videopipe.localstack.lambda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A stand-in for the functions jar, compiled at test time: a {@code FunctionInvoker} of the real
 * one's name and constructor/handler signatures, and Lambda's {@code Context} interface, so that
 * the runtime's class loading, environments, timeouts and errors are tested in a second, without
 * Spring. The real jar runs in the cli module's end-to-end tests. Like Spring Boot, the fake reads
 * {@code application.properties} through the thread's context class loader.
 */
final class FakeFunctionsJar {

  private static final Map<String, String> SOURCES = Map.of(
      "com/amazonaws/services/lambda/runtime/Context.java", """
          package com.amazonaws.services.lambda.runtime;
          public interface Context {
            String getAwsRequestId();
            String getFunctionName();
            String getInvokedFunctionArn();
            int getRemainingTimeInMillis();
            int getMemoryLimitInMB();
            LambdaLogger getLogger();
          }
          """,
      "com/amazonaws/services/lambda/runtime/LambdaLogger.java", """
          package com.amazonaws.services.lambda.runtime;
          public interface LambdaLogger {
            void log(String message);
          }
          """,
      "org/springframework/cloud/function/adapter/aws/FunctionInvoker.java", """
          package org.springframework.cloud.function.adapter.aws;
          import com.amazonaws.services.lambda.runtime.Context;
          import java.io.*;
          import java.nio.charset.StandardCharsets;
          import java.util.Properties;
          public class FunctionInvoker {
            static int instances;
            private final Properties properties = new Properties();
            private final String definition;
            public FunctionInvoker() throws IOException {
              try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream("application.properties")) {
                properties.load(in);
              }
              definition = properties.getProperty("spring.cloud.function.definition");
              if ("brokenInit".equals(definition)) {
                throw new IllegalStateException("environment variable CATALOG_TABLE is not set");
              }
              instances++;
            }
            public void handleRequest(InputStream in, OutputStream out, Context context) throws Exception {
              String event = new String(in.readAllBytes(), StandardCharsets.UTF_8);
              context.getLogger().log("handling " + context.getAwsRequestId());
              String answer = switch (definition) {
                case "env" -> "{\\"catalogTable\\":\\"" + properties.getProperty("CATALOG_TABLE")
                    + "\\",\\"undeclared\\":\\"" + properties.getProperty("UNDECLARED")
                    + "\\",\\"bannerMode\\":\\"" + properties.getProperty("spring.main.banner-mode")
                    + "\\",\\"instances\\":" + instances
                    + ",\\"loader\\":\\"" + getClass().getClassLoader().getName()
                    + "\\",\\"memory\\":" + context.getMemoryLimitInMB()
                    + ",\\"arn\\":\\"" + context.getInvokedFunctionArn()
                    + "\\",\\"seesTheStack\\":" + sees("videopipe.localstack.lambda.LocalLambda") + "}";
                case "echo" -> event;
                case "mark" -> {
                  java.nio.file.Files.writeString(java.nio.file.Path.of(properties.getProperty("MARK_FILE")),
                      context.getAwsRequestId() + " " + event.replace('\\n', ' ') + "\\n", StandardCharsets.UTF_8,
                      java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                  if (event.contains("\\"fail\\"")) {
                    throw new IllegalStateException("asked to fail");
                  }
                  yield "{\\"marked\\":true}";
                }
                case "fail" -> throw new IllegalArgumentException("bad event: " + event,
                    new java.io.UncheckedIOException(new IOException("underneath")));
                case "sleep" -> {
                  Thread.sleep(Long.parseLong(event.trim()));
                  yield "\\"" + Thread.currentThread().getName() + "\\"";
                }
                default -> throw new IllegalStateException("no function " + definition);
              };
              out.write(answer.getBytes(StandardCharsets.UTF_8));
            }
            private static boolean sees(String name) {
              try {
                Class.forName(name, false, FunctionInvoker.class.getClassLoader());
                return true;
              } catch (ClassNotFoundException e) {
                return false;
              }
            }
          }
          """);

  static final String MANIFEST = """
      {"handler": "org.springframework.cloud.function.adapter.aws.FunctionInvoker::handleRequest",
       "runtime": "java21",
       "functions": [
         {"name": "env", "bean": "env", "timeoutSeconds": 5, "memoryMb": 512,
          "environment": ["CATALOG_TABLE"], "permissions": [{"actions": ["dynamodb:GetItem"], "resources": ["${CatalogTableArn}"]}]},
         {"name": "echo", "bean": "echo", "timeoutSeconds": 5, "memoryMb": 256, "environment": []},
         {"name": "mark", "bean": "mark", "timeoutSeconds": 1, "memoryMb": 256, "reservedConcurrency": 1,
          "environment": ["MARK_FILE"]},
         {"name": "fail", "bean": "fail", "timeoutSeconds": 5, "memoryMb": 256, "environment": []},
         {"name": "sleep", "bean": "sleep", "timeoutSeconds": 1, "memoryMb": 256, "reservedConcurrency": 2, "environment": []},
         {"name": "brokenInit", "bean": "brokenInit", "timeoutSeconds": 5, "memoryMb": 256, "environment": []}
       ]}
      """;

  private FakeFunctionsJar() {}

  static Path build(Path dir) {
    try {
      Path src = dir.resolve("src");
      Path classes = dir.resolve("classes");
      Files.createDirectories(classes);
      for (Map.Entry<String, String> e : SOURCES.entrySet()) {
        Path file = src.resolve(e.getKey());
        Files.createDirectories(file.getParent());
        Files.writeString(file, e.getValue());
      }
      JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
      List<String> args = new java.util.ArrayList<>(List.of("-d", classes.toString(), "--release", "17"));
      SOURCES.keySet().forEach(k -> args.add(src.resolve(k).toString()));
      if (javac.run(null, null, null, args.toArray(String[]::new)) != 0) {
        throw new IllegalStateException("the fake functions did not compile");
      }
      Path jar = dir.resolve("functions-aws.jar");
      try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
           Stream<Path> files = Files.walk(classes)) {
        for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
          put(out, classes.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
        }
        put(out, "application.properties", "spring.main.banner-mode=off\n".getBytes(StandardCharsets.UTF_8));
        put(out, FunctionManifest.RESOURCE, MANIFEST.getBytes(StandardCharsets.UTF_8));
      }
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void put(JarOutputStream out, String name, byte[] bytes) throws IOException {
    out.putNextEntry(new JarEntry(name));
    out.write(bytes);
    out.closeEntry();
  }
}
