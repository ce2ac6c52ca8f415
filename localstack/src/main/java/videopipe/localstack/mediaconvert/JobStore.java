package videopipe.localstack.mediaconvert;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;
import videopipe.localstack.DirectoryLock;

/**
 * The local MediaConvert's jobs on disk: one {@code <job id>.json} per job, each replaced whole
 * (written beside, then moved over it), so that a stop at any moment leaves every job as it was
 * last saved, never half of it. The directory is held by one emulator at a time through a lock on
 * its {@code lock} file: two emulators on it would run the same jobs twice.
 */
final class JobStore implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String SUFFIX = ".json";
  private static final String TEMPORARY = ".json.tmp";

  /** The jobs read back, in the order they were created, and what could not be read (one sentence each). */
  record Loaded(List<Job> jobs, List<String> problems) {}

  private final Path dir;
  private final DirectoryLock lock;

  private JobStore(Path dir, DirectoryLock lock) {
    this.dir = dir;
    this.lock = lock;
  }

  /** Opens {@code dir} (created if missing) and locks it; fails naming it when another emulator holds it. */
  static JobStore open(Path dir) throws IOException {
    return new JobStore(dir, DirectoryLock.acquire(dir, "lock", "local MediaConvert"));
  }

  Path dir() {
    return dir;
  }

  /**
   * Reads every job back. A file that is not a job is moved aside as {@code *.unreadable} (kept for
   * whoever wants to look, out of the next start's way) and named in the problems; a temporary file
   * left by a stop mid-save is removed, since the job it was replacing is still whole.
   */
  Loaded load() throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.sorted().toList();
    }
    List<Job> jobs = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Path file : files) {
      String name = file.getFileName().toString();
      if (name.endsWith(TEMPORARY)) {
        Files.deleteIfExists(file);
      } else if (name.endsWith(SUFFIX)) {
        try {
          jobs.add(Job.restore(JSON.readTree(file)));
        } catch (RuntimeException e) {
          Path aside = file.resolveSibling(name + ".unreadable");
          problems.add(file + " is not a readable MediaConvert job (" + e.getMessage() + "): skipped, and kept as "
              + aside);
          try {
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
          } catch (IOException moveFailed) {
            problems.add("cannot move " + file + " aside: " + moveFailed);
          }
        }
      }
    }
    jobs.sort(Comparator.comparingLong((Job j) -> j.sequence));
    return new Loaded(List.copyOf(jobs), List.copyOf(problems));
  }

  /** Replaces the job's file with {@code job}'s current state; the caller holds the job's lock, so saves of one job never cross. */
  void save(Job job) {
    Path file = dir.resolve(job.id + SUFFIX);
    Path tmp = dir.resolve(job.id + TEMPORARY);
    try {
      // A FileOutputStream, not Files.write: a channel is closed by an interrupt, and the stop
      // interrupts the workers while a job that has just ended is being saved.
      try (java.io.FileOutputStream out = new java.io.FileOutputStream(tmp.toFile())) {
        out.write(JSON.writeValueAsBytes(job.stored()));
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the MediaConvert job " + job.id + " to " + file, e);
    }
  }

  @Override
  public void close() {
    lock.close();
  }
}
