package videopipe.cli.commands;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import videopipe.cli.local.StackFile;

/**
 * {@code videopipe upload FILE [--captions LANG=FILE]... [--user U] [--wait]}: what a creator's
 * client does. POST /uploads declares the file and its caption sidecars; the captions are PUT
 * first (the pipeline starts on the video's arrival and reads the sidecars then); then the video,
 * by its single presigned PUT, or part by part ({@value #PARALLEL_PARTS} at a time) by the
 * multipart plan, then POST /uploads/{id}/complete with every part's ETag. Prints the videoId.
 * A multipart upload that fails is aborted (DELETE /uploads/{id}), so no parts are left behind.
 *
 * <p>{@code --wait} follows GET /videos/{id} until READY, REJECTED, FAILED or ABORTED and exits 1
 * unless READY.
 */
final class Upload {

  static final int PARALLEL_PARTS = 4;
  static final int PART_ATTEMPTS = 3;
  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);
  static final Duration POLL = Duration.ofMillis(500);
  /** What the API's ID pattern allows (its OpenAPI document): checked before putting it in a path. */
  private static final Pattern VIDEO_ID = Pattern.compile("[A-Za-z0-9_-]{6,64}");
  /** Headers Java's HTTP client sets itself (and refuses); the body's length is the signed one. */
  private static final Pattern S3_CODE = Pattern.compile("<Code>([^<]*)</Code>");
  private static final Pattern S3_MESSAGE = Pattern.compile("<Message>([^<]*)</Message>");
  private static final Map<String, String> CONTENT_TYPES = Map.of(
      "mp4", "video/mp4", "m4v", "video/mp4", "mov", "video/quicktime", "mkv", "video/x-matroska",
      "webm", "video/webm", "avi", "video/x-msvideo", "ts", "video/mp2t", "m2ts", "video/mp2t");

  private final Commands cli;

  Upload(Commands cli) {
    this.cli = cli;
  }

  record Caption(String lang, Path file, long size) {}

  void run(List<String> argv) throws CommandError {
    Args args = Args.parse(argv, Set.of("--captions", "--content-type", "--user", "--timeout"), Set.of("--captions"),
        Set.of("--wait"));
    if (args.positional().size() != 1) {
      throw CommandError.usage(args.positional().isEmpty() ? "upload needs a FILE"
          : "upload takes one FILE, got " + args.positional());
    }
    Path file = Path.of(args.positional().get(0));
    long size = readableSize(file, "the video");
    if (size == 0) {
      throw CommandError.input(file + " is empty");
    }
    String contentType = args.value("--content-type", null);
    if (contentType == null) {
      contentType = contentType(file);
    }
    List<Caption> captions = captions(args.values("--captions"));
    String user = Commands.user(args);
    Duration timeout = args.duration("--timeout", DEFAULT_TIMEOUT);
    if (args.value("--timeout", null) != null && !args.flag("--wait")) {
      throw CommandError.usage("--timeout goes with --wait");
    }

    StackFile stack = cli.stack();
    ApiClient api = cli.api(stack, user);
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("fileName", file.getFileName().toString());
    request.put("contentType", contentType);
    request.put("sizeBytes", size);
    if (!captions.isEmpty()) {
      request.put("captions", captions.stream().map(c -> Map.of("lang", c.lang(),
          "fileName", c.file().getFileName().toString(), "sizeBytes", c.size())).toList());
    }
    JsonNode created = api.post("/uploads", request, 201);
    String videoId = created.path("videoId").asString("");
    if (!VIDEO_ID.matcher(videoId).matches()) {
      throw CommandError.failed("POST /uploads answered without a usable videoId: " + created);
    }
    cli.err().println("video " + videoId + ": sending " + size + " bytes" + (captions.isEmpty() ? ""
        : " and " + captions.size() + " caption file(s)"));

    boolean multipart = created.hasNonNull("multipart");
    if (!multipart && !created.hasNonNull("upload")) {
      throw CommandError.failed("POST /uploads answered with neither an upload nor a multipart plan: " + created);
    }
    try {
      for (Caption c : captions) {
        putOrFail(captionUpload(created, c.lang()), c.file(), c.size(), "caption " + c.lang());
      }
    } catch (CommandError e) {
      if (multipart) {
        abort(api, videoId);
      }
      throw e;
    }
    if (multipart) {
      multipart(api, videoId, created.path("multipart"), file, size);
    } else {
      putOrFail(created.path("upload"), file, size, "the video");
    }
    cli.out().println(videoId);
    cli.out().flush();
    if (args.flag("--wait")) {
      waitForTerminal(api, videoId, timeout);
    }
  }

  /** The file's size, or why it cannot be sent (missing, a folder, unreadable). */
  static long readableSize(Path file, String what) throws CommandError {
    if (!Files.exists(file)) {
      throw CommandError.input("no such file: " + file + " (" + what + ")");
    }
    if (!Files.isRegularFile(file)) {
      throw CommandError.input(file + " is not a regular file (" + what + ")");
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return channel.size();
    } catch (AccessDeniedException e) {
      throw CommandError.input("cannot read " + file + ": permission denied (" + what + ")");
    } catch (IOException e) {
      throw CommandError.input("cannot read " + file + ": " + e.getMessage() + " (" + what + ")");
    }
  }

  static String contentType(Path file) throws CommandError {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String type = dot < 0 ? null : CONTENT_TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    if (type == null) {
      throw CommandError.input("cannot tell the content type of " + name + " from its extension (.mp4 .m4v .mov"
          + " .mkv .webm .avi .ts .m2ts): pass --content-type video/mp4 or another");
    }
    return type;
  }

  static List<Caption> captions(List<String> specs) throws CommandError {
    List<Caption> captions = new ArrayList<>();
    Set<String> langs = new java.util.HashSet<>();
    for (String spec : specs) {
      int eq = spec.indexOf('=');
      if (eq <= 0 || eq == spec.length() - 1) {
        throw CommandError.input("--captions needs LANG=FILE (e.g. en=subs.vtt), got '" + spec + "'");
      }
      String lang = spec.substring(0, eq);
      if (!langs.add(lang.toLowerCase(Locale.ROOT))) {
        throw CommandError.input("--captions: language " + lang + " given twice");
      }
      Path file = Path.of(spec.substring(eq + 1));
      captions.add(new Caption(lang, file, readableSize(file, "captions " + lang)));
    }
    return captions;
  }

  private static JsonNode captionUpload(JsonNode created, String lang) throws CommandError {
    for (JsonNode c : created.path("captions")) {
      if (c.path("lang").asString("").equals(lang)) {
        return c.path("upload");
      }
    }
    throw CommandError.failed("POST /uploads answered without an upload for caption " + lang + ": " + created);
  }

  /** Sends {@code length} bytes of {@code file} from {@code offset} as the signed request says; returns S3's ETag. */
  private String put(JsonNode signed, Path file, long offset, long length, String what) throws CommandError {
    URI url = URI.create(signed.path("url").asString());
    HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
        HttpRequest.BodyPublishers.ofInputStream(() -> slice(file, offset, length)), length);
    HttpRequest.Builder request = SignedRequests.of(signed, body).timeout(Duration.ofMinutes(10));
    HttpResponse<String> response;
    try {
      response = cli.http().send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw CommandError.failed("sending " + what + " to " + url.getHost() + ":" + url.getPort() + " failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CommandError.failed("sending " + what + ": interrupted");
    }
    if (response.statusCode() / 100 != 2) {
      throw new S3Refused(what, response.statusCode(), response.body());
    }
    return response.headers().firstValue("etag").orElseThrow(
        () -> CommandError.failed("S3 stored " + what + " but sent no ETag"));
  }

  private void putOrFail(JsonNode signed, Path file, long length, String what) throws CommandError {
    try {
      put(signed, file, 0, length, what);
    } catch (S3Refused e) {
      throw CommandError.failed(e.getMessage());
    }
  }

  /** A PUT that S3 answered with an error: its code and message, as S3 gave them. */
  private static final class S3Refused extends RuntimeException {
    final int status;

    S3Refused(String what, int status, String body) {
      super("S3 refused " + what + ": " + status + " " + s3Error(body));
      this.status = status;
    }
  }

  private static String s3Error(String body) {
    Matcher code = S3_CODE.matcher(body);
    Matcher message = S3_MESSAGE.matcher(body);
    if (code.find()) {
      return code.group(1) + (message.find() ? ": " + message.group(1) : "");
    }
    return body.strip();
  }

  private static InputStream slice(Path file, long offset, long length) {
    try {
      FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
      channel.position(offset);
      InputStream in = Channels.newInputStream(channel);
      return new InputStream() {
        long left = length;

        @Override
        public int read() throws IOException {
          if (left <= 0) {
            return -1;
          }
          int b = in.read();
          if (b >= 0) {
            left--;
          }
          return b;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
          if (left <= 0) {
            return -1;
          }
          int n = in.read(buffer, off, (int) Math.min(len, left));
          if (n > 0) {
            left -= n;
          }
          return n;
        }

        @Override
        public void close() throws IOException {
          in.close();
        }
      };
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void multipart(ApiClient api, String videoId, JsonNode plan, Path file, long size) throws CommandError {
    long partSize = plan.path("partSize").asLong();
    List<JsonNode> parts = new ArrayList<>();
    plan.path("parts").forEach(parts::add);
    long planned = parts.stream().mapToLong(p -> p.path("sizeBytes").asLong()).sum();
    if (parts.isEmpty() || partSize <= 0 || planned != size) {
      abort(api, videoId);
      throw CommandError.failed("the multipart plan covers " + planned + " bytes in " + parts.size()
          + " parts, the file has " + size + ": " + plan);
    }
    cli.err().println("multipart: " + parts.size() + " parts of " + partSize + " bytes, " + PARALLEL_PARTS + " at a time");
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL_PARTS, parts.size()), r -> {
      Thread t = new Thread(r, "videopipe-upload-part");
      t.setDaemon(true);
      return t;
    });
    List<Map<String, Object>> etags = new ArrayList<>();
    try {
      List<Future<String>> sent = new ArrayList<>();
      for (JsonNode part : parts) {
        int number = part.path("partNumber").asInt();
        long offset = (number - 1) * partSize;
        long length = part.path("sizeBytes").asLong();
        sent.add(pool.submit(() -> sendPart(part.path("upload"), file, offset, length, number)));
      }
      for (int i = 0; i < parts.size(); i++) {
        String etag = result(sent.get(i));
        etags.add(Map.of("partNumber", parts.get(i).path("partNumber").asInt(), "etag", etag));
      }
    } catch (CommandError e) {
      pool.shutdownNow();
      abort(api, videoId);
      throw e;
    } finally {
      pool.shutdownNow();
    }
    api.post("/uploads/" + videoId + "/complete", Map.of("parts", etags), 200);
  }

  /** One part, tried again on an I/O failure or a 5xx (a presigned UploadPart may be repeated). */
  private String sendPart(JsonNode signed, Path file, long offset, long length, int number) throws CommandError {
    String what = "part " + number;
    for (int attempt = 1; ; attempt++) {
      try {
        String etag = put(signed, file, offset, length, what);
        cli.err().println("  part " + number + " sent (" + length + " bytes)");
        return etag;
      } catch (S3Refused e) {
        if (e.status < 500 || attempt == PART_ATTEMPTS) {
          throw CommandError.failed(e.getMessage());
        }
      } catch (CommandError e) {
        if (attempt == PART_ATTEMPTS || Thread.currentThread().isInterrupted()) {
          throw e;
        }
      }
      try {
        Thread.sleep(200L << attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw CommandError.failed("sending " + what + ": interrupted");
      }
    }
  }

  private static String result(Future<String> part) throws CommandError {
    try {
      return part.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof CommandError c) {
        throw c;
      }
      throw CommandError.failed(String.valueOf(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CommandError.failed("interrupted");
    }
  }

  /** Gives up the upload so that S3 keeps no parts; says so if that fails too. */
  private void abort(ApiClient api, String videoId) {
    try {
      api.delete("/uploads/" + videoId, 204);
      cli.err().println("aborted upload " + videoId);
    } catch (CommandError e) {
      cli.err().println("could not abort upload " + videoId + ": " + e.getMessage());
    }
  }

  private void waitForTerminal(ApiClient api, String videoId, Duration timeout) throws CommandError {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (true) {
      JsonNode video = api.get("/videos/" + videoId, 200);
      String status = video.path("status").asString("");
      if (!status.equals(last)) {
        cli.err().println("  " + status);
        last = status;
      }
      switch (status) {
        case "READY" -> {
          cli.out().println("READY");
          return;
        }
        case "REJECTED" -> throw CommandError.failed("video " + videoId + " REJECTED: "
            + video.path("rejection").path("reason").asString("") + ": " + video.path("rejection").path("detail").asString(""));
        case "FAILED" -> throw CommandError.failed("video " + videoId + " FAILED: "
            + video.path("failure").path("error").asString("") + " (see ./videopipe executions --status FAILED)");
        case "ABORTED" -> throw CommandError.failed("video " + videoId + " ABORTED");
        default -> { }
      }
      if (System.nanoTime() > deadline) {
        throw CommandError.failed("video " + videoId + " still " + status + " after " + timeout);
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw CommandError.failed("interrupted while waiting for " + videoId);
      }
    }
  }
}
