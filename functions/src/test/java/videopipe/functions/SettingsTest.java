package videopipe.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import videopipe.functions.metadata.Container;

/** A Lambda with a missing or malformed variable must fail at start, naming the variable. */
class SettingsTest {

  private static final Map<String, String> MINIMAL = Map.of("CATALOG_TABLE", "videos", "EVENT_BUS_NAME", "bus");

  @Test
  void appliesDefaultsToWhatIsNotSet() {
    Settings s = Settings.from(MINIMAL);
    assertThat(s.catalogTable()).isEqualTo("videos");
    assertThat(s.maxUploadBytes()).isEqualTo(Settings.DEFAULT_MAX_UPLOAD_BYTES);
    assertThat(s.allowedContainers()).isEqualTo(EnumSet.allOf(Container.class));
    assertThat(s.s3PathStyle()).isFalse();
  }

  @Test
  void namesAMissingVariable() {
    assertThatThrownBy(() -> Settings.from(Map.of("CATALOG_TABLE", "videos")))
        .hasMessage("environment variable EVENT_BUS_NAME is not set");
  }

  @Test
  void namesAMalformedNumber() {
    Map<String, String> env = new java.util.HashMap<>(MINIMAL);
    env.put("MAX_UPLOAD_BYTES", "5GB");
    assertThatThrownBy(() -> Settings.from(env)).hasMessageContaining("MAX_UPLOAD_BYTES").hasMessageContaining("5GB");
  }

  @Test
  void readsAllowedContainersAndNamesAnUnknownOne() {
    Map<String, String> env = new java.util.HashMap<>(MINIMAL);
    env.put("ALLOWED_CONTAINERS", "mp4, mpeg-ts");
    assertThat(Settings.from(env).allowedContainers()).containsExactlyInAnyOrder(Container.MP4, Container.MPEG_TS);
    env.put("ALLOWED_CONTAINERS", "mp4,flv");
    assertThatThrownBy(() -> Settings.from(env)).hasMessageContaining("'flv'");
  }
}
