package videopipe.functions;

/** Placeholder: replaced by the functional bean registration below in the next commit. */
public final class FunctionsApplication {
  private FunctionsApplication() {}

  public static void main(String[] args) {}
}
