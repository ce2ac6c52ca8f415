package videopipe.statemachines.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import videopipe.statemachines.engine.Invocation;
import videopipe.statemachines.engine.TaskInvoker;

/**
 * video-ingest's functions answering at once with the contracts of VideoIngestTest's pipeline (an
 * accepted upload, its metadata, captions, READY): the benchmark measures the engine, not them.
 * submitTranscode answers its own task token before it returns, as if MediaConvert finished
 * instantly.
 */
final class InstantFunctions {

  private InstantFunctions() {}

  static final String TRANSCODE_OUTPUTS = "{\"bucket\": \"media\", \"playlistKey\": \"v-42/hls/index.m3u8\","
      + " \"mp4Key\": \"v-42/v.mp4\", \"thumbnailKey\": \"v-42/t.jpg\", \"renditions\": []}";

  static TaskInvoker videoIngest(Throughput.EngineRef ref) {
    return (function, payload) -> {
      Map<?, ?> p = (Map<?, ?>) payload;
      Object token = p.get("taskToken");
      if (token != null) {
        ref.engine.sendTaskSuccess((String) token, TRANSCODE_OUTPUTS);
        return CompletableFuture.completedFuture(new Invocation.Returned(Map.of("jobId", "job-1")));
      }
      return CompletableFuture.completedFuture(new Invocation.Returned(answer(function, p)));
    };
  }

  /** The answer of every function but submitTranscode. */
  static Object answer(String function, Map<?, ?> p) {
    String name = function.substring(function.lastIndexOf('-') + 1);
    return switch (name) {
      case "ValidateUpload" -> Map.of("outcome", "ACCEPTED", "videoId", "v-42", "ownerId", "o-1", "bucket", "media",
          "key", "uploads/o-1/v-42/source", "container", "MP4", "bytes", 1000, "etag", "e1");
      case "ExtractMetadata" -> Map.of("outcome", "EXTRACTED", "videoId", "v-42", "ownerId", "o-1", "bucket", "media",
          "key", "uploads/o-1/v-42/source", "metadata", Map.of("durationSeconds", 1, "width", 160, "height", 90));
      case "AttachCaptions" -> Map.of("captions", List.of(Map.of("lang", "en", "label", "English", "key", "v-42/en.vtt")));
      case "PublishVideo" -> Map.of("videoId", p.get("videoId"), "status", "READY");
      default -> p; // any other function echoes its payload
    };
  }
}
