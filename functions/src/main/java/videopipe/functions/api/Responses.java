package videopipe.functions.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** The JSON bodies the routes answer with; see {@code api/openapi.yaml} for their description. */
final class Responses {

  private Responses() {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Error(String error, String message, String field) {}

  /** {@code POST /uploads}: exactly one of {@code upload} (single PUT) and {@code multipart}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record UploadCreated(String videoId, String status, String expiresAt, SignedRequest upload,
      MultipartPlan multipart, List<CaptionUpload> captions) {}

  /**
   * Every part's presigned URL, in one answer: the part size grows so that a plan never has more
   * than {@link CreateUpload#MAX_PARTS_PER_PLAN} parts, which keeps the answer under 1 MB.
   */
  record MultipartPlan(String uploadId, long partSize, int partCount, List<PartUpload> parts, String completeWith) {}

  record PartUpload(int partNumber, long sizeBytes, SignedRequest upload) {}

  record CaptionUpload(String lang, String fileName, SignedRequest upload) {}

  record UploadCompleted(String videoId, String etag, String uploadedAt) {}

  /** {@code GET /videos/{id}}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Video(String videoId, String status, String fileName, String contentType, Long sizeBytes, String createdAt,
      String updatedAt, Map<String, Object> metadata, Rejection rejection, Failure failure, Media media,
      AutomaticCaptions automaticCaptions) {}

  /** Amazon Transcribe's captions: {@code status} (STARTED, ATTACHED, FAILED, REJECTED or UNAVAILABLE) and why. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record AutomaticCaptions(String status, String reason) {}

  record Rejection(String reason, String detail) {}

  record Failure(String error) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Media(String expiresAt, String playlistUrl, String mp4Url, String thumbnailUrl, List<CaptionLink> captions) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record CaptionLink(String lang, String label, String url) {}

  /** {@code GET /videos}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record VideoList(List<VideoSummary> videos, String nextCursor) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record VideoSummary(String videoId, String status, String fileName, Long sizeBytes, String createdAt) {}
}
