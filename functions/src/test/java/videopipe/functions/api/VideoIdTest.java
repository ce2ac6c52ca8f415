package videopipe.functions.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VideoIdTest {

  /** Fills each request with the next scripted first byte, zeros after it. */
  private static Random firstBytes(int... first) {
    Deque<Integer> script = new ArrayDeque<>();
    Arrays.stream(first).forEach(script::add);
    return new Random() {
      @Override
      public void nextBytes(byte[] bytes) {
        Arrays.fill(bytes, (byte) 0);
        bytes[0] = script.remove().byteValue();
      }
    };
  }

  @Test
  void neverStartsWithACharacterACommandLineTakesForAnOption() {
    // 0xF8 starts base64url with '-', 0xFC with '_': both are drawn again; 0x04 starts with 'B'.
    String id = CreateUpload.newVideoId(firstBytes(0xF8, 0xFC, 0x04));

    assertThat(id).isEqualTo("BAAAAAAAAAAAAAAAAAAAAA").hasSize(22);
  }

  @Test
  void isTwentyTwoUrlSafeCharacters() {
    Random random = new Random(42);
    for (int i = 0; i < 1000; i++) {
      assertThat(CreateUpload.newVideoId(random)).matches("[A-Za-z0-9][A-Za-z0-9_-]{21}");
    }
  }
}
