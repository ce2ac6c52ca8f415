package videopipe.functions.catalog;

import java.util.List;

/**
 * How a new video's bytes will arrive, recorded with its catalog item so that completing or
 * aborting the upload later needs nothing from the client but the video id.
 *
 * @param multipartUploadId S3's id of the multipart upload, or null for a single presigned PUT
 * @param partSize bytes per part (the last part may be shorter); 0 for a single PUT
 * @param partCount number of parts the plan asked for; 0 for a single PUT
 * @param captions the sidecar caption files the creator declared, where they will be uploaded
 */
public record UploadSession(String multipartUploadId, long partSize, int partCount, List<DeclaredCaption> captions) {

  public UploadSession {
    captions = captions == null ? List.of() : List.copyOf(captions);
  }

  public static UploadSession single(List<DeclaredCaption> captions) {
    return new UploadSession(null, 0, 0, captions);
  }

  public boolean isMultipart() {
    return multipartUploadId != null;
  }

  /** A caption file announced at upload time: its language (BCP-47), the creator's file name, its key. */
  public record DeclaredCaption(String lang, String fileName, String key) {}
}
