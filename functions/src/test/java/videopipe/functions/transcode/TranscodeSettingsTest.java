package videopipe.functions.transcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import videopipe.functions.Settings;

/** The transcode's and captions' settings: defaults, and a start that fails naming the variable. */
class TranscodeSettingsTest {

  private static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>(Map.of("CATALOG_TABLE", "videos", "EVENT_BUS_NAME", "bus"));
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  @Test
  void defaultsToTheStandardLadderNoTranscribeAndOneMebibyteCaptions() {
    Settings s = Settings.from(env());
    assertThat(s.ladder()).isEqualTo(Ladder.DEFAULT);
    assertThat(s.automaticCaptions()).isFalse();
    assertThat(s.maxCaptionBytes()).isEqualTo(1024 * 1024);
    assertThat(s.mediaConvertQueue()).isNull();
  }

  @Test
  void readsTheConfiguredLadderRoleAndQueue() {
    Settings s = Settings.from(env("TRANSCODE_LADDER", "720:3000000,360:700000", "MEDIACONVERT_ROLE_ARN", "arn:role",
        "MEDIACONVERT_QUEUE", "arn:queue", "TRANSCRIBE_CAPTIONS", "true", "MEDIA_BUCKET", "m"));
    assertThat(s.ladder().rungs()).hasSize(2);
    assertThat(s.requireMediaConvertRole()).isEqualTo("arn:role");
    assertThat(s.mediaConvertQueue()).isEqualTo("arn:queue");
    assertThat(s.automaticCaptions()).isTrue();
    assertThat(s.requireMediaBucket()).isEqualTo("m");
  }

  @Test
  void failsAtStartOnAMalformedLadderNamingTheVariable() {
    assertThatThrownBy(() -> Settings.from(env("TRANSCODE_LADDER", "720p")))
        .hasMessageContaining("TRANSCODE_LADDER").hasMessageContaining("'720p'");
  }

  @Test
  void submitTranscodeNeedsTheRoleAndTheMediaBucket() {
    Settings s = Settings.from(env());
    assertThatThrownBy(s::requireMediaConvertRole).hasMessageContaining("MEDIACONVERT_ROLE_ARN");
    assertThatThrownBy(s::requireMediaBucket).hasMessageContaining("MEDIA_BUCKET");
  }
}
