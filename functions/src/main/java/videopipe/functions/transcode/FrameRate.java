package videopipe.functions.transcode;

/**
 * An exact frame rate as MediaConvert takes it (numerator/denominator). The probe reports a
 * double (29.97…); broadcast rates are exact fractions over 1001, which a decimal cannot say.
 */
public record FrameRate(int numerator, int denominator) {

  public FrameRate {
    if (numerator < 1 || denominator < 1) {
      throw new IllegalArgumentException("frame rate " + numerator + "/" + denominator);
    }
  }

  /** 29.97 → 30000/1001, 59.94 → 60000/1001, 25 → 25/1, 12.5 → 25/2; else to a thousandth. */
  public static FrameRate of(double fps) {
    if (!(fps > 0) || fps > 1000) {
      throw new IllegalArgumentException("frame rate " + fps);
    }
    long whole = Math.round(fps);
    if (Math.abs(fps - whole) < 0.001) {
      return new FrameRate((int) whole, 1);
    }
    long ntsc = Math.round(fps * 1.001);
    if (Math.abs(fps - ntsc * 1000.0 / 1001) < 0.005) {
      return new FrameRate((int) ntsc * 1000, 1001);
    }
    long halves = Math.round(fps * 2);
    if (Math.abs(fps - halves / 2.0) < 0.001) {
      return new FrameRate((int) halves, 2);
    }
    return reduced(Math.round(fps * 1000), 1000);
  }

  public double value() {
    return (double) numerator / denominator;
  }

  /** This rate divided by {@code k}: 60 → 30, 59.94 → 29.97. */
  public FrameRate dividedBy(int k) {
    return reduced(numerator, (long) denominator * k);
  }

  private static FrameRate reduced(long n, long d) {
    long g = gcd(n, d);
    return new FrameRate((int) (n / g), (int) (d / g));
  }

  private static long gcd(long a, long b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  @Override
  public String toString() {
    return denominator == 1 ? Integer.toString(numerator) : numerator + "/" + denominator;
  }
}
