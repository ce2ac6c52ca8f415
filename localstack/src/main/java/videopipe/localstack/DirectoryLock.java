package videopipe.localstack;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A data directory held by one emulator at a time, through the JVM's lock on a file in it, until
 * {@link #close()}. A second emulator on the same directory, in this JVM or another process, is
 * refused with the directory named. (Not an fcntl lock such as LevelDB's own, which a process
 * drops whenever it closes any handle on the file.)
 */
public final class DirectoryLock implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DirectoryLock.class);

  private final Path dir;
  private final FileLock lock;

  private DirectoryLock(Path dir, FileLock lock) {
    this.dir = dir;
    this.lock = lock;
  }

  /**
   * Creates {@code dir} if missing and locks its {@code fileName}.
   *
   * @param holder who holds such a directory, for the refusal: "local Step Functions"
   * @throws IOException naming the directory when another holder has it, or when it cannot be locked
   */
  public static DirectoryLock acquire(Path dir, String fileName, String holder) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(fileName);
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException sameJvm) {
      lock = null;
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      throw new IOException("the data directory " + dir + " is in use by another " + holder + " (" + file
          + " is locked): stop it, or give this one another directory");
    }
    return new DirectoryLock(dir, lock);
  }

  public Path dir() {
    return dir;
  }

  /** Releases the directory; the lock goes with its channel. */
  @Override
  public void close() {
    try {
      lock.channel().close();
    } catch (IOException e) {
      log.warn("cannot release the lock on {}", dir, e);
    }
  }
}
