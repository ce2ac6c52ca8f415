package videopipe.functions.api;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import videopipe.functions.catalog.Catalog;
import videopipe.functions.catalog.NewVideo;
import videopipe.functions.catalog.UploadSession;
import videopipe.functions.catalog.VideoStatus;
import videopipe.functions.events.SourceKey;
import videopipe.functions.metadata.Container;

/**
 * {@code POST /uploads}: checks what the creator declares, allocates the video, records it {@code
 * AWAITING_UPLOAD} under the caller, and answers with where to send the bytes: one presigned PUT
 * up to the single-PUT limit, else a multipart plan with a presigned URL per part; plus a
 * presigned PUT per declared caption file.
 */
public final class CreateUpload implements Function<HttpApiRequest, HttpApiResponse> {

  /** S3's floor is 5 MiB; 8 MiB is what its own transfer tools use. */
  static final long MIN_PART_BYTES = 8L * 1024 * 1024;
  /** S3 allows 10,000 parts; we plan at most 1,000, so that every part URL fits in one answer. */
  static final int MAX_PARTS_PER_PLAN = 1000;
  static final int MAX_BODY_BYTES = 16 * 1024;
  private static final long MIB = 1024 * 1024;

  private final Catalog catalog;
  private final UploadStorage storage;
  private final SecureRandom random;
  private final long maxUploadBytes;
  private final long singlePutMaxBytes;
  private final long maxCaptionBytes;
  private final Set<Container> allowed;
  private final Function<HttpApiRequest, HttpApiResponse> route;

  CreateUpload(Catalog catalog, UploadStorage storage, SecureRandom random, long maxUploadBytes,
      long singlePutMaxBytes, long maxCaptionBytes, Set<Container> allowed) {
    this.catalog = catalog;
    this.storage = storage;
    this.random = random;
    this.maxUploadBytes = maxUploadBytes;
    this.singlePutMaxBytes = singlePutMaxBytes;
    this.maxCaptionBytes = maxCaptionBytes;
    this.allowed = allowed;
    this.route = HttpRoutes.authenticated(this::handle);
  }

  @Override
  public HttpApiResponse apply(HttpApiRequest request) {
    return route.apply(request);
  }

  private HttpApiResponse handle(String owner, HttpApiRequest request) {
    UploadRequest upload = UploadRequest.parse(JsonBody.object(request, MAX_BODY_BYTES), maxUploadBytes,
        maxCaptionBytes, allowed);
    String videoId = newVideoId(random);
    String key = SourceKey.of(owner, videoId);
    if (SourceKey.parse(key).filter(k -> k.ownerId().equals(owner)).isEmpty()) {
      // Cognito subjects are UUIDs; a subject that cannot name a folder is a misconfigured issuer.
      throw ApiError.UNAUTHORIZED.because("the token's subject cannot own uploads");
    }
    List<UploadSession.DeclaredCaption> declared = new ArrayList<>();
    List<Responses.CaptionUpload> captionUploads = new ArrayList<>();
    for (UploadRequest.Caption c : upload.captions()) {
      String captionKey = "uploads/" + owner + "/" + videoId + "/captions/" + c.lang() + "." + c.extension();
      declared.add(new UploadSession.DeclaredCaption(c.lang(), c.fileName(), captionKey));
      captionUploads.add(new Responses.CaptionUpload(c.lang(), c.fileName(),
          storage.presignPut(captionKey, c.contentType(), c.sizeBytes())));
    }
    NewVideo video = new NewVideo(videoId, owner, upload.fileName(), upload.contentType(), upload.sizeBytes());

    if (upload.sizeBytes() <= singlePutMaxBytes) {
      catalog.create(video, UploadSession.single(declared));
      SignedRequest put = storage.presignPut(key, upload.contentType(), upload.sizeBytes());
      return HttpRoutes.ok(201, new Responses.UploadCreated(videoId, VideoStatus.AWAITING_UPLOAD.name(),
          put.expiresAt(), put, null, captionUploads));
    }

    long partSize = partSize(upload.sizeBytes());
    int partCount = (int) ceilDiv(upload.sizeBytes(), partSize);
    String uploadId = storage.createMultipart(key, upload.contentType());
    try {
      catalog.create(video, new UploadSession(uploadId, partSize, partCount, declared));
    } catch (RuntimeException e) {
      storage.abort(key, uploadId); // no item, no way to complete it: leave nothing behind
      throw e;
    }
    List<Responses.PartUpload> parts = new ArrayList<>(partCount);
    for (int n = 1; n <= partCount; n++) {
      long length = Math.min(partSize, upload.sizeBytes() - (n - 1) * partSize);
      parts.add(new Responses.PartUpload(n, length, storage.presignPart(key, uploadId, n, length)));
    }
    Responses.MultipartPlan plan = new Responses.MultipartPlan(uploadId, partSize, partCount, parts,
        "POST /uploads/" + videoId + "/complete");
    return HttpRoutes.ok(201, new Responses.UploadCreated(videoId, VideoStatus.AWAITING_UPLOAD.name(),
        parts.get(0).upload().expiresAt(), null, plan, captionUploads));
  }

  /**
   * The part size for a multipart upload of {@code size} bytes: at least {@link #MIN_PART_BYTES},
   * in whole MiB, and large enough that there are at most {@link #MAX_PARTS_PER_PLAN} parts.
   */
  static long partSize(long size) {
    long needed = ceilDiv(size, MAX_PARTS_PER_PLAN);
    return Math.max(MIN_PART_BYTES, ceilDiv(needed, MIB) * MIB);
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  /**
   * 128 random bits, base64url without padding: 22 characters, safe in keys and URLs. Drawn again
   * when it would start with {@code -} or {@code _}: command lines (ours, the AWS CLI's) read an
   * argument starting with {@code -} as an option, and one ID in 64 would.
   */
  static String newVideoId(java.util.Random random) {
    byte[] bytes = new byte[16];
    String id;
    do {
      random.nextBytes(bytes);
      id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    } while (!Character.isLetterOrDigit(id.charAt(0)));
    return id;
  }
}
