package videopipe.functions.api;

import java.util.Map;

/**
 * A request the client sends straight to S3: method, presigned URL, the headers it must send with
 * exactly these values (they are signed: any other value, or a missing one, is refused by S3), and
 * when the URL expires.
 */
record SignedRequest(String method, String url, Map<String, String> headers, String expiresAt) {}
