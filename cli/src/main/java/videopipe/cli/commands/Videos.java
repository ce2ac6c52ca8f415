package videopipe.cli.commands;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import videopipe.cli.local.LocalStack;

/**
 * {@code videopipe videos [ID] [--user U] [--page-size N]}: the user's videos as a table, newest
 * first (GET /videos, every page, N a request, at most the API's 100), or one video's whole record
 * (GET /videos/{id}) as JSON.
 */
final class Videos {

  private static final Pattern VIDEO_ID = Pattern.compile("[A-Za-z0-9_-]{6,64}");
  static final int PAGE = 100;

  private final Commands cli;

  Videos(Commands cli) {
    this.cli = cli;
  }

  void run(List<String> argv) throws CommandError {
    Args args = Args.parse(argv, Set.of("--user", "--page-size"), Set.of(), Set.of());
    if (args.positional().size() > 1) {
      throw CommandError.usage("videos takes at most one ID, got " + args.positional());
    }
    String user = Commands.user(args);
    int pageSize = args.integer("--page-size", PAGE, 1, PAGE);
    if (args.positional().size() == 1) {
      String id = args.positional().get(0);
      if (!VIDEO_ID.matcher(id).matches()) {
        throw CommandError.input("'" + id + "' is not a video ID (6 to 64 of A-Z a-z 0-9 _ -)");
      }
      ApiClient api = cli.api(cli.stack(), user);
      JsonNode video = api.get("/videos/" + id, 200);
      cli.out().println(LocalStack.JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(video));
      return;
    }
    ApiClient api = cli.api(cli.stack(), user);
    List<JsonNode> videos = new ArrayList<>();
    String cursor = null;
    do {
      String path = "/videos?limit=" + pageSize
          + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
      JsonNode page = api.get(path, 200);
      page.path("videos").forEach(videos::add);
      String next = page.path("nextCursor").asString(null);
      if (next != null && next.equals(cursor)) {
        throw CommandError.failed("GET /videos gave the same cursor twice: " + next);
      }
      cursor = next;
    } while (cursor != null && !cursor.isEmpty());
    if (videos.isEmpty()) {
      cli.out().println("no videos for " + user);
      return;
    }
    cli.out().printf("%-36s  %-15s  %-24s  %12s  %s%n", "VIDEO ID", "STATUS", "CREATED", "SIZE", "FILE");
    for (JsonNode v : videos) {
      cli.out().printf("%-36s  %-15s  %-24s  %12s  %s%n", v.path("videoId").asString(""), v.path("status").asString(""),
          v.path("createdAt").asString(""), v.path("sizeBytes").isMissingNode() ? "" : v.path("sizeBytes").asString(),
          v.path("fileName").asString(""));
    }
  }
}
