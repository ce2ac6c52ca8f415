package videopipe.cli.commands;

import java.nio.file.Files;
import java.nio.file.Path;
import videopipe.cli.e2e.Clips;
import videopipe.cli.e2e.FunctionsJar;
import videopipe.cli.local.LocalStack;
import videopipe.cli.local.StackFile;

/**
 * A local stack for one test class, as {@code videopipe local up} leaves it: started on the real
 * functions jar, its stack file published in a home of its own for the commands to find, and a
 * generated 1 s clip beside it to upload.
 */
record PublishedStack(LocalStack stack, Path home, StackFile.Published published, Path clip) implements AutoCloseable {

  /** Starts stack {@code name} with its home and clip under {@code dir}; on failure, stops what started. */
  static PublishedStack start(String name, Path dir) throws Exception {
    LocalStack stack = LocalStack.start(LocalStack.Options.of(FunctionsJar.path()).withStackName(name));
    try {
      Path home = Files.createDirectories(dir.resolve("home"));
      Path clip = Files.write(dir.resolve("clip.mp4"), Clips.mp4(dir));
      return new PublishedStack(stack, home, StackFile.publish(stack, home), clip);
    } catch (Exception | Error e) {
      stack.close();
      throw e;
    }
  }

  @Override
  public void close() throws Exception {
    try {
      published.close();
    } finally {
      stack.close();
    }
  }
}
