package videopipe.functions.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import tools.jackson.databind.JsonNode;
import videopipe.functions.catalog.Catalog;
import videopipe.functions.catalog.UploadState;
import videopipe.functions.catalog.VideoStatus;
import videopipe.functions.events.SourceKey;

/**
 * {@code POST /uploads/{videoId}/complete} {@code {parts: [{partNumber, etag}]}}: completes the
 * caller's multipart upload. The parts must be exactly the plan's, numbered 1..n in order, each
 * with the etag S3 returned for it; S3 then checks the etags. Completing twice is a 409, someone
 * else's upload a 404.
 */
public final class CompleteUpload implements Function<HttpApiRequest, HttpApiResponse> {

  /** 1,000 parts of about 60 bytes each, with room to spare. */
  static final int MAX_BODY_BYTES = 256 * 1024;

  private final Catalog catalog;
  private final UploadStorage storage;
  private final Function<HttpApiRequest, HttpApiResponse> route;

  CompleteUpload(Catalog catalog, UploadStorage storage) {
    this.catalog = catalog;
    this.storage = storage;
    this.route = HttpRoutes.authenticated(this::handle);
  }

  @Override
  public HttpApiResponse apply(HttpApiRequest request) {
    return route.apply(request);
  }

  private HttpApiResponse handle(String owner, HttpApiRequest request) {
    List<CompletedPart> parts = parts(JsonBody.object(request, MAX_BODY_BYTES));
    UploadState state = Videos.ownUpload(catalog, owner, request.pathParameter("videoId"));
    if (!state.session().isMultipart()) {
      throw ApiError.NOT_MULTIPART.because("this upload is a single PUT; there is nothing to complete");
    }
    if (state.status() == VideoStatus.ABORTED) {
      throw ApiError.UPLOAD_ABORTED.because("this upload was aborted");
    }
    if (state.uploadedAt() != null || state.status() != VideoStatus.AWAITING_UPLOAD) {
      throw ApiError.ALREADY_COMPLETED.because("this upload was already completed");
    }
    if (parts.size() != state.session().partCount()) {
      throw ApiError.INVALID_PARTS.because("the upload was planned in " + state.session().partCount()
          + " parts; " + parts.size() + " were given", "parts");
    }
    String key = SourceKey.of(owner, state.videoId());
    UploadStorage.Completion completion = storage.complete(key, state.session().multipartUploadId(), parts);
    if (completion instanceof UploadStorage.Completion.Refused refused) {
      throw switch (refused.code()) {
        case "NoSuchUpload" -> ApiError.ALREADY_COMPLETED.because("this upload was already completed");
        case "InvalidPart", "InvalidPartOrder", "EntityTooSmall" -> ApiError.INVALID_PARTS.because(
            "S3 refused the parts (" + refused.code() + "): " + refused.message(), "parts");
        default -> ApiError.INVALID_PARTS.because("S3 refused to complete the upload (" + refused.code() + "): "
            + refused.message(), "parts");
      };
    }
    catalog.markUploaded(state.videoId(), owner);
    String etag = ((UploadStorage.Completion.Completed) completion).etag();
    return HttpRoutes.ok(200, new Responses.UploadCompleted(state.videoId(), etag,
        catalog.uploadState(state.videoId()).map(s -> String.valueOf(s.uploadedAt())).orElse(null)));
  }

  private static List<CompletedPart> parts(JsonNode body) {
    JsonBody.onlyFields(body, "", Set.of("parts"));
    JsonNode list = JsonBody.required(body, "parts", "");
    if (!list.isArray() || list.isEmpty()) {
      throw ApiError.INVALID_FIELD.because("'parts' must be a non-empty array", "parts");
    }
    if (list.size() > CreateUpload.MAX_PARTS_PER_PLAN) {
      throw ApiError.INVALID_PARTS.because("at most " + CreateUpload.MAX_PARTS_PER_PLAN + " parts", "parts");
    }
    List<CompletedPart> parts = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      String path = "parts[" + i + "].";
      JsonNode p = list.get(i);
      if (!p.isObject()) {
        throw ApiError.INVALID_FIELD.because("a part must be an object {partNumber, etag}", "parts[" + i + "]");
      }
      JsonBody.onlyFields(p, path, Set.of("partNumber", "etag"));
      long number = JsonBody.integer(p, "partNumber", path);
      if (number != i + 1) {
        throw ApiError.INVALID_PARTS.because("expected part " + (i + 1) + " here, got " + number
            + ": list every part, numbered 1..n in order", path + "partNumber");
      }
      String etag = JsonBody.string(p, "etag", path);
      if (etag.isEmpty() || etag.length() > 128 || !etag.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f)) {
        throw ApiError.INVALID_FIELD.because("'etag' must be the ETag header S3 returned for the part",
            path + "etag");
      }
      parts.add(CompletedPart.builder().partNumber((int) number).eTag(etag).build());
    }
    return parts;
  }
}
