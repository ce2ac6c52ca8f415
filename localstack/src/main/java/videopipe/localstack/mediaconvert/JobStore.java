package videopipe.localstack.mediaconvert;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import videopipe.localstack.RecordDirectory;

/**
 * The local MediaConvert's jobs on disk: one {@code <job id>.json} per job in a {@link
 * RecordDirectory}, replaced whole at each change, so that a stop at any moment leaves every job as
 * it was last saved. One emulator at a time holds the directory: two would run the same jobs twice.
 */
final class JobStore implements AutoCloseable {

  /** The jobs read back, in the order they were created, and what could not be read (one sentence each). */
  record Loaded(List<Job> jobs, List<String> problems) {}

  private final RecordDirectory records;
  private final Loaded readBack;

  private JobStore(RecordDirectory records, Loaded readBack) {
    this.records = records;
    this.readBack = readBack;
  }

  /**
   * Opens {@code dir} (created if missing), locks it and reads its jobs back; fails naming it when
   * another emulator holds it.
   */
  static JobStore open(Path dir) throws IOException {
    RecordDirectory.Opened<Job> opened = RecordDirectory.open(dir, "local MediaConvert", "MediaConvert job", Job::restore);
    List<Job> jobs = opened.readBack().records().stream().sorted(Comparator.comparingLong((Job j) -> j.sequence)).toList();
    return new JobStore(opened.directory(), new Loaded(jobs, opened.readBack().problems()));
  }

  Path dir() {
    return records.dir();
  }

  /** The jobs read back at open; a file that was not a job is set aside and named in the problems. */
  Loaded readBack() {
    return readBack;
  }

  /** Replaces the job's file with {@code job}'s current state; the caller holds the job's lock, so saves of one job never cross. */
  void save(Job job) {
    records.save(job.id, job.stored());
  }

  @Override
  public void close() {
    records.close();
  }
}
