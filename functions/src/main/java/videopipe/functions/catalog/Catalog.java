package videopipe.functions.catalog;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import videopipe.functions.AwsErrors;

/**
 * The video catalog in DynamoDB. Every status change is ONE conditional UpdateItem: the condition
 * names the statuses the change may start from and, once an execution has claimed the upload, that
 * execution's ARN. So two writers can never both win, a status never goes backwards (except
 * {@code FAILED → PROCESSING} on redrive), and no update overwrites fields it does not name.
 * There are no transactions: dynalite has none, and one item per video needs none.
 */
public final class Catalog {

  private final DynamoDbClient dynamo;
  private final String table;
  private final Clock clock;

  public Catalog(DynamoDbClient dynamo, String table, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.clock = clock;
  }

  /** Creates the item of a new upload, {@code AWAITING_UPLOAD}; refuses to overwrite one. */
  public VideoItem create(NewVideo video) {
    return create(video, UploadSession.single(List.of()));
  }

  /**
   * Creates the item of a new upload, {@code AWAITING_UPLOAD}, with how its bytes will arrive (a
   * single PUT, or S3's multipart upload id and plan) and the caption files declared with it;
   * refuses to overwrite one.
   */
  public VideoItem create(NewVideo video, UploadSession session) {
    String now = timestamp(clock.instant());
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put("videoId", Attributes.s(video.videoId()));
    item.put("ownerId", Attributes.s(video.ownerId()));
    item.put("status", Attributes.s(VideoStatus.AWAITING_UPLOAD.name()));
    item.put("createdAt", Attributes.s(now));
    item.put("updatedAt", Attributes.s(now));
    item.put("fileName", Attributes.s(video.fileName()));
    item.put("contentType", Attributes.s(video.contentType()));
    item.put("declaredBytes", Attributes.n(video.declaredBytes()));
    if (session.isMultipart()) {
      item.put("multipartUploadId", Attributes.s(session.multipartUploadId()));
      item.put("partSize", Attributes.n(session.partSize()));
      item.put("partCount", Attributes.n(session.partCount()));
    }
    if (!session.captions().isEmpty()) {
      item.put("declaredCaptions", Attributes.of(session.captions()));
    }
    try {
      dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(videoId)"));
    } catch (ConditionalCheckFailedException e) {
      throw new IllegalStateException("video " + video.videoId() + " already exists", e);
    } catch (SdkException e) {
      throw AwsErrors.classify("creating video " + video.videoId(), e);
    }
    return toItem(item);
  }

  /**
   * {@code createdAt} is the owner index's sort key, compared as a string: a fixed width (always six
   * fraction digits) keeps string order equal to time order, which {@link Instant#toString()},
   * dropping trailing zero groups, does not ("…:05Z" sorts after "…:05.250Z").
   */
  static String timestamp(Instant instant) {
    return TIMESTAMP.format(instant.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
  }

  private static final java.time.format.DateTimeFormatter TIMESTAMP =
      java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(java.time.ZoneOffset.UTC);

  public Optional<VideoItem> get(String videoId) {
    try {
      GetItemResponse r = dynamo.getItem(b -> b.tableName(table).key(key(videoId)).consistentRead(true));
      return r.hasItem() && !r.item().isEmpty() ? Optional.of(toItem(r.item())) : Optional.empty();
    } catch (SdkException e) {
      throw AwsErrors.classify("reading video " + videoId, e);
    }
  }

  /**
   * Claims an uploaded object for validation on behalf of one execution: {@code AWAITING_UPLOAD →
   * VALIDATING} (or from a FAILED nobody had claimed), recording the object's identity and the execution. The same execution claiming
   * again (a retry, a redrive) gets its claim back; any other execution, or another write to the
   * same key, gets {@link ClaimResult.Duplicate}.
   */
  public ClaimResult claim(String videoId, String ownerId, ObjectIdentity object, String executionArn) {
    Update u = new Update()
        .set("status", Attributes.s(VideoStatus.VALIDATING.name()))
        .set("sourceKey", Attributes.s(object.key()))
        .set("sourceEtag", Attributes.s(object.etag()))
        .set("sourceSequencer", Attributes.s(object.sequencer()))
        .set("sourceBytes", Attributes.n(object.bytes()))
        .set("claimedBy", Attributes.s(executionArn));
    // FAILED before anyone claimed it: its execution failed before Validate got this far (e.g.
    // Lambda throttled), and its redrive must be able to claim it now.
    u.condition("attribute_exists(videoId) AND #ownerId = :owner "
        + "AND (#status = :awaiting OR (#status = :failed AND attribute_not_exists(claimedBy)))");
    u.name("#ownerId", "ownerId");
    u.value(":owner", Attributes.s(ownerId));
    u.value(":awaiting", Attributes.s(VideoStatus.AWAITING_UPLOAD.name()));
    u.value(":failed", Attributes.s(VideoStatus.FAILED.name()));
    Optional<VideoItem> claimed = apply(videoId, u, "claiming");
    if (claimed.isPresent()) {
      return new ClaimResult.Claimed(claimed.get(), false);
    }
    Optional<VideoItem> current = get(videoId);
    if (current.isEmpty()) {
      return new ClaimResult.Unknown(videoId);
    }
    VideoItem item = current.get();
    if (!item.ownerId().equals(ownerId)) {
      return new ClaimResult.OwnerMismatch(item);
    }
    if (executionArn.equals(item.claimedBy()) && object.sameWriteAs(item.sourceEtag(), item.sourceSequencer())) {
      return new ClaimResult.Claimed(item, true);
    }
    return new ClaimResult.Duplicate(item);
  }

  /** The upload passed validation: {@code VALIDATING → PROCESSING} (or back from FAILED on redrive). */
  public VideoItem accept(String videoId, String executionArn, String container, long bytes) {
    Update u = new Update()
        .set("status", Attributes.s(VideoStatus.PROCESSING.name()))
        .set("container", Attributes.s(container))
        .set("sourceBytes", Attributes.n(bytes));
    return move(videoId, executionArn, u,
        EnumSet.of(VideoStatus.VALIDATING, VideoStatus.PROCESSING, VideoStatus.FAILED), VideoStatus.PROCESSING);
  }

  /** The creator's file is unusable: final {@code REJECTED}, with a reason they can act on. */
  public VideoItem reject(String videoId, String executionArn, String reason, String detail) {
    Update u = new Update()
        .set("status", Attributes.s(VideoStatus.REJECTED.name()))
        .set("rejectReason", Attributes.s(reason))
        .set("rejectDetail", Attributes.s(detail));
    return move(videoId, executionArn, u,
        EnumSet.of(VideoStatus.VALIDATING, VideoStatus.PROCESSING, VideoStatus.FAILED, VideoStatus.REJECTED),
        VideoStatus.REJECTED);
  }

  /** Stores the probe's findings; the item stays (or, on redrive, goes back to) {@code PROCESSING}. */
  public VideoItem recordMetadata(String videoId, String executionArn, Object metadata) {
    Update u = new Update()
        .set("status", Attributes.s(VideoStatus.PROCESSING.name()))
        .set("metadata", Attributes.of(metadata));
    return move(videoId, executionArn, u, EnumSet.of(VideoStatus.PROCESSING, VideoStatus.FAILED), VideoStatus.PROCESSING);
  }

  /**
   * The video is published: {@code READY} with its outputs and captions. Publishing twice is
   * harmless; a redriven execution that gets here clears the error it failed with.
   */
  public VideoItem markReady(String videoId, String executionArn, Object outputs, List<?> captions) {
    Update u = new Update()
        .set("status", Attributes.s(VideoStatus.READY.name()))
        .set("outputs", Attributes.of(outputs))
        .set("captions", Attributes.of(captions == null ? List.of() : captions))
        .remove("error")
        .remove("cause");
    return move(videoId, executionArn, u,
        EnumSet.of(VideoStatus.PROCESSING, VideoStatus.FAILED, VideoStatus.READY), VideoStatus.READY);
  }

  /**
   * Records a failed execution: {@code FAILED} with the error, cause and execution ARN. Does
   * nothing (and says so with an empty result) when the video is already READY or REJECTED, or
   * when another execution holds the claim: a duplicate execution failing must not mark the video
   * the first one is processing.
   */
  public Optional<VideoItem> markFailed(String videoId, String executionArn, String error, String cause) {
    Update u = new Update()
        .set("status", Attributes.s(VideoStatus.FAILED.name()))
        .set("error", Attributes.s(error == null ? "Unknown" : error))
        .set("cause", Attributes.s(cause == null ? "" : cause))
        .set("executionArn", Attributes.s(executionArn));
    u.condition("attribute_exists(videoId) AND #status IN (:s0, :s1, :s2, :s3) "
        + "AND (attribute_not_exists(claimedBy) OR claimedBy = :exec)");
    List<VideoStatus> from = List.of(VideoStatus.AWAITING_UPLOAD, VideoStatus.VALIDATING, VideoStatus.PROCESSING,
        VideoStatus.FAILED);
    for (int i = 0; i < from.size(); i++) {
      u.value(":s" + i, Attributes.s(from.get(i).name()));
    }
    u.value(":exec", Attributes.s(executionArn));
    return apply(videoId, u, "recording the failure of");
  }

  /** The upload side of an item: owner, status and upload session; empty when there is no such video. */
  public Optional<UploadState> uploadState(String videoId) {
    try {
      GetItemResponse r = dynamo.getItem(b -> b.tableName(table).key(key(videoId)).consistentRead(true));
      if (!r.hasItem() || r.item().isEmpty()) {
        return Optional.empty();
      }
      Map<String, AttributeValue> a = r.item();
      List<UploadSession.DeclaredCaption> captions = new ArrayList<>();
      if (a.containsKey("declaredCaptions")) {
        for (Object c : Attributes.plainList(a.get("declaredCaptions"))) {
          captions.add(Attributes.as(castMap(c), UploadSession.DeclaredCaption.class));
        }
      }
      Long partSize = num(a, "partSize");
      Long partCount = num(a, "partCount");
      UploadSession session = new UploadSession(str(a, "multipartUploadId"), partSize == null ? 0 : partSize,
          partCount == null ? 0 : partCount.intValue(), captions);
      return Optional.of(new UploadState(videoId, str(a, "ownerId"), VideoStatus.valueOf(str(a, "status")), session,
          instant(a, "uploadedAt")));
    } catch (SdkException e) {
      throw AwsErrors.classify("reading the upload of video " + videoId, e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object o) {
    return (Map<String, Object>) o;
  }

  /**
   * Records that the owner's multipart upload was completed; false when it already was, or was
   * aborted, or the video is not theirs: the caller then answers "already completed".
   */
  public boolean markUploaded(String videoId, String ownerId) {
    Update u = new Update().set("uploadedAt", Attributes.s(timestamp(clock.instant())));
    u.condition("attribute_exists(videoId) AND #ownerId = :owner AND #status <> :aborted "
        + "AND attribute_not_exists(uploadedAt)");
    u.name("#ownerId", "ownerId");
    u.value(":owner", Attributes.s(ownerId));
    u.value(":aborted", Attributes.s(VideoStatus.ABORTED.name()));
    return apply(videoId, u, "recording the completed upload of").isPresent();
  }

  /**
   * The creator gave up: {@code AWAITING_UPLOAD → ABORTED}, only for their own video and only while
   * no upload has completed; empty when that did not hold.
   */
  public Optional<VideoItem> abort(String videoId, String ownerId) {
    Update u = new Update().set("status", Attributes.s(VideoStatus.ABORTED.name()));
    u.condition("attribute_exists(videoId) AND #ownerId = :owner AND #status = :awaiting "
        + "AND attribute_not_exists(uploadedAt)");
    u.name("#ownerId", "ownerId");
    u.value(":owner", Attributes.s(ownerId));
    u.value(":awaiting", Attributes.s(VideoStatus.AWAITING_UPLOAD.name()));
    return apply(videoId, u, "aborting");
  }

  /**
   * One page of an owner's videos, newest first, through the owner index: at most {@code limit},
   * starting after {@code after} (null for the first page). The index is eventually consistent: a
   * video created a moment ago may be missing from the first page for a moment.
   */
  public VideoPage listByOwner(String ownerId, int limit, VideoPage.PageKey after) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, was " + limit);
    }
    try {
      var r = dynamo.query(b -> {
        b.tableName(table)
            .indexName(CatalogTable.OWNER_INDEX)
            .keyConditionExpression("#o = :o")
            .expressionAttributeNames(Map.of("#o", CatalogTable.OWNER_KEY))
            .expressionAttributeValues(Map.of(":o", Attributes.s(ownerId)))
            .scanIndexForward(false)
            .limit(limit);
        if (after != null) {
          b.exclusiveStartKey(Map.of(
              CatalogTable.PARTITION_KEY, Attributes.s(after.videoId()),
              CatalogTable.OWNER_KEY, Attributes.s(ownerId),
              CatalogTable.OWNER_SORT_KEY, Attributes.s(after.createdAt())));
        }
      });
      List<VideoItem> videos = r.items().stream().map(Catalog::toItem).toList();
      Map<String, AttributeValue> last = r.lastEvaluatedKey();
      VideoPage.PageKey next = last == null || last.isEmpty() ? null
          : new VideoPage.PageKey(str(last, CatalogTable.OWNER_SORT_KEY), str(last, CatalogTable.PARTITION_KEY));
      return new VideoPage(videos, next);
    } catch (SdkException e) {
      throw AwsErrors.classify("listing the videos of " + ownerId, e);
    }
  }

  private VideoItem move(String videoId, String executionArn, Update u, Set<VideoStatus> from, VideoStatus to) {
    List<String> placeholders = new ArrayList<>();
    int i = 0;
    for (VideoStatus s : from) {
      String p = ":from" + i++;
      placeholders.add(p);
      u.value(p, Attributes.s(s.name()));
    }
    u.condition("attribute_exists(videoId) AND claimedBy = :exec AND #status IN ("
        + String.join(", ", placeholders) + ")");
    u.value(":exec", Attributes.s(executionArn));
    return apply(videoId, u, "moving to " + to).orElseThrow(() -> refused(videoId, executionArn, from, to));
  }

  private IllegalStateException refused(String videoId, String executionArn, Set<VideoStatus> from, VideoStatus to) {
    String now = get(videoId)
        .map(v -> "it is " + v.status() + (executionArn.equals(v.claimedBy()) ? "" : ", claimed by " + v.claimedBy()))
        .orElse("it does not exist");
    return new IllegalStateException("video " + videoId + " cannot move to " + to + " for execution " + executionArn
        + ": " + now + " (allowed from " + from.stream().map(Enum::name).collect(Collectors.joining(", "))
        + " by the claiming execution)");
  }

  /** Runs the update; empty when its condition did not hold. */
  private Optional<VideoItem> apply(String videoId, Update u, String doing) {
    u.set("updatedAt", Attributes.s(clock.instant().toString()));
    try {
      UpdateItemResponse r = dynamo.updateItem(b -> b.tableName(table)
          .key(key(videoId))
          .updateExpression(u.expression())
          .conditionExpression(u.condition)
          .expressionAttributeNames(u.names)
          .expressionAttributeValues(u.values)
          .returnValues(ReturnValue.ALL_NEW));
      return Optional.of(toItem(r.attributes()));
    } catch (ConditionalCheckFailedException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw AwsErrors.classify(doing + " video " + videoId, e);
    }
  }

  private static Map<String, AttributeValue> key(String videoId) {
    return Map.of("videoId", Attributes.s(videoId));
  }

  static VideoItem toItem(Map<String, AttributeValue> a) {
    return new VideoItem(
        str(a, "videoId"),
        str(a, "ownerId"),
        VideoStatus.valueOf(str(a, "status")),
        instant(a, "createdAt"),
        instant(a, "updatedAt"),
        str(a, "fileName"),
        str(a, "contentType"),
        num(a, "declaredBytes"),
        str(a, "sourceKey"),
        str(a, "sourceEtag"),
        str(a, "sourceSequencer"),
        num(a, "sourceBytes"),
        str(a, "claimedBy"),
        str(a, "container"),
        a.containsKey("metadata") ? Attributes.plainMap(a.get("metadata")) : null,
        str(a, "rejectReason"),
        str(a, "rejectDetail"),
        a.containsKey("outputs") ? Attributes.plainMap(a.get("outputs")) : null,
        a.containsKey("captions") ? Attributes.plainList(a.get("captions")) : null,
        str(a, "error"),
        str(a, "cause"),
        str(a, "executionArn"),
        a.containsKey("automaticCaptions") ? Attributes.plainMap(a.get("automaticCaptions")) : null);
  }

  private static String str(Map<String, AttributeValue> a, String name) {
    AttributeValue v = a.get(name);
    return v == null ? null : v.s();
  }

  private static Long num(Map<String, AttributeValue> a, String name) {
    AttributeValue v = a.get(name);
    return v == null || v.n() == null ? null : Long.parseLong(v.n());
  }

  private static Instant instant(Map<String, AttributeValue> a, String name) {
    String s = str(a, name);
    return s == null ? null : Instant.parse(s);
  }

  /** One UpdateItem's expression, names and values, built up by the callers above. */
  private static final class Update {
    private final List<String> sets = new ArrayList<>();
    private final List<String> removes = new ArrayList<>();
    private final Map<String, String> names = new LinkedHashMap<>();
    private final Map<String, AttributeValue> values = new LinkedHashMap<>();
    private String condition;

    Update set(String attribute, AttributeValue value) {
      String n = "#" + attribute;
      String v = ":" + attribute;
      names.put(n, attribute);
      values.put(v, value);
      sets.add(n + " = " + v);
      return this;
    }

    Update remove(String attribute) {
      String n = "#" + attribute;
      names.put(n, attribute);
      removes.add(n);
      return this;
    }

    void condition(String expression) {
      this.condition = expression;
      names.putIfAbsent("#status", "status");
    }

    void name(String placeholder, String attribute) {
      names.put(placeholder, attribute);
    }

    void value(String placeholder, AttributeValue value) {
      values.put(placeholder, value);
    }

    String expression() {
      String e = "SET " + String.join(", ", sets);
      return removes.isEmpty() ? e : e + " REMOVE " + String.join(", ", removes);
    }
  }

  // ---- The transcode's job and task token, and the captions (issue 7) ----
  // Single-item conditional writes again: the job is bound for the claiming execution only, and a
  // job's outputs are recorded only while the item still names that job.

  /**
   * The transcode job bound to a video, as far as it got.
   *
   * @param claimedBy the execution that claimed the upload
   * @param jobId the MediaConvert job, null when none was submitted
   * @param taskToken the token of the task waiting for it (the latest one bound)
   * @param ladder the ladder's fingerprint the job was written for
   * @param renditions the planned renditions (as {@code publish.Rendition} maps)
   * @param outputs what the job produced, once it completed (a {@code publish.MediaOutputs} map)
   */
  public record TranscodeBinding(String videoId, VideoStatus status, String claimedBy, String jobId, String taskToken,
      String ladder, List<Object> renditions, Map<String, Object> outputs) {}

  /** The video's transcode binding; empty when there is no such video. */
  public Optional<TranscodeBinding> transcodeBinding(String videoId) {
    try {
      GetItemResponse r = dynamo.getItem(b -> b.tableName(table).key(key(videoId)).consistentRead(true));
      return r.hasItem() && !r.item().isEmpty() ? Optional.of(toBinding(r.item())) : Optional.empty();
    } catch (SdkException e) {
      throw AwsErrors.classify("reading the transcode of video " + videoId, e);
    }
  }

  /**
   * Binds a newly submitted job and its task token to the video, for the claiming execution, while
   * the video is PROCESSING (or FAILED, on redrive) and names no job, this same job (a retry raced
   * it), or {@code replacing} (the failed job this one replaces). False when that did not hold.
   */
  public boolean bindTranscodeJob(String videoId, String executionArn, String jobId, String taskToken, String ladder,
      List<?> renditions, String replacing) {
    Map<String, AttributeValue> set = new LinkedHashMap<>();
    set.put("transcodeJobId", Attributes.s(jobId));
    set.put("transcodeTaskToken", Attributes.s(taskToken));
    set.put("transcodeLadder", Attributes.s(ladder));
    set.put("transcodeRenditions", Attributes.of(renditions));
    Map<String, AttributeValue> values = new LinkedHashMap<>();
    values.put(":job", Attributes.s(jobId));
    values.put(":replacing", Attributes.s(replacing == null ? jobId : replacing));
    return updateRaw(videoId, executionArn, set, List.of(),
        "(attribute_not_exists(transcodeJobId) OR transcodeJobId = :job OR transcodeJobId = :replacing)", values,
        "binding the transcode job of").isPresent();
  }

  /**
   * Re-binds a running (or finished) job to a new task token, the one a retry or redrive of the
   * task brought, while the video still names that job and the execution still holds the claim.
   */
  public Optional<TranscodeBinding> rebindTaskToken(String videoId, String executionArn, String jobId,
      String taskToken) {
    return updateRaw(videoId, executionArn, Map.of("transcodeTaskToken", Attributes.s(taskToken)), List.of(),
        "transcodeJobId = :job", Map.of(":job", Attributes.s(jobId)), "re-binding the task token of")
        .map(Catalog::toBinding);
  }

  /**
   * Records what a completed job produced, while the video still names that job (any status but
   * final ones: a stale job's event changes nothing). Returns the binding as it is now, with the
   * token to answer; empty when the video names another job or none.
   */
  public Optional<TranscodeBinding> recordTranscodeOutputs(String videoId, String jobId, Object outputs) {
    Map<String, String> names = new LinkedHashMap<>();
    names.put("#transcodeOutputs", "transcodeOutputs");
    names.put("#updatedAt", "updatedAt");
    Map<String, AttributeValue> values = new LinkedHashMap<>();
    values.put(":outputs", Attributes.of(outputs));
    values.put(":job", Attributes.s(jobId));
    values.put(":now", Attributes.s(clock.instant().toString()));
    try {
      UpdateItemResponse r = dynamo.updateItem(b -> b.tableName(table)
          .key(key(videoId))
          .updateExpression("SET #transcodeOutputs = :outputs, #updatedAt = :now")
          .conditionExpression("attribute_exists(videoId) AND transcodeJobId = :job")
          .expressionAttributeNames(names)
          .expressionAttributeValues(values)
          .returnValues(ReturnValue.ALL_NEW));
      return Optional.of(toBinding(r.attributes()));
    } catch (ConditionalCheckFailedException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw AwsErrors.classify("recording the transcode outputs of video " + videoId, e);
    }
  }

  /**
   * Records the caption tracks attached to the video, the caption files rejected (with their
   * reasons) and the automatic captions' status ({@code automaticCaptions}: status, reason, job,
   * track), for the claiming execution while the video is PROCESSING or FAILED. Throws when that
   * does not hold, like the other steps' transitions.
   */
  public void recordCaptions(String videoId, String executionArn, List<?> tracks, List<?> rejected, Object automatic) {
    Map<String, AttributeValue> set = new LinkedHashMap<>();
    set.put("captions", Attributes.of(tracks));
    set.put("captionsRejected", Attributes.of(rejected));
    set.put("automaticCaptions", Attributes.of(automatic));
    if (updateRaw(videoId, executionArn, set, List.of(), null, Map.of(), "recording the captions of").isEmpty()) {
      throw new IllegalStateException("video " + videoId + " cannot record captions for execution " + executionArn
          + ": " + get(videoId).map(v -> "it is " + v.status() + ", claimed by " + v.claimedBy())
              .orElse("it does not exist"));
    }
  }

  /**
   * Records the automatic captions' outcome when Transcribe's job ends, whatever the video's
   * status but REJECTED (it may end before or after the video is READY; the track is kept apart
   * from the sidecars' {@code captions}, which publishVideo writes). False when there is no such
   * video or it was rejected.
   */
  public boolean recordAutomaticCaptions(String videoId, Object automatic) {
    Map<String, String> names = Map.of("#automaticCaptions", "automaticCaptions", "#updatedAt", "updatedAt",
        "#status", "status");
    Map<String, AttributeValue> values = Map.of(":automatic", Attributes.of(automatic),
        ":now", Attributes.s(clock.instant().toString()), ":rejected", Attributes.s(VideoStatus.REJECTED.name()));
    try {
      dynamo.updateItem(b -> b.tableName(table)
          .key(key(videoId))
          .updateExpression("SET #automaticCaptions = :automatic, #updatedAt = :now")
          .conditionExpression("attribute_exists(videoId) AND #status <> :rejected")
          .expressionAttributeNames(names)
          .expressionAttributeValues(values));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    } catch (SdkException e) {
      throw AwsErrors.classify("recording the automatic captions of video " + videoId, e);
    }
  }

  /** The video's {@code automaticCaptions} (status, reason, job, track) as plain values; empty when none. */
  public Optional<Map<String, Object>> automaticCaptions(String videoId) {
    try {
      GetItemResponse r = dynamo.getItem(b -> b.tableName(table).key(key(videoId)).consistentRead(true));
      return r.hasItem() && r.item().containsKey("automaticCaptions")
          ? Optional.of(Attributes.plainMap(r.item().get("automaticCaptions"))) : Optional.empty();
    } catch (SdkException e) {
      throw AwsErrors.classify("reading the automatic captions of video " + videoId, e);
    }
  }

  /**
   * One UpdateItem for the claiming execution while the video is PROCESSING or FAILED, plus an
   * optional further condition; the item as it is after, or empty when a condition did not hold.
   */
  private Optional<Map<String, AttributeValue>> updateRaw(String videoId, String executionArn,
      Map<String, AttributeValue> set, List<String> remove, String extraCondition, Map<String, AttributeValue> extraValues,
      String doing) {
    Map<String, String> names = new LinkedHashMap<>();
    Map<String, AttributeValue> values = new LinkedHashMap<>(extraValues);
    List<String> sets = new ArrayList<>();
    Map<String, AttributeValue> all = new LinkedHashMap<>(set);
    all.put("updatedAt", Attributes.s(clock.instant().toString()));
    all.forEach((name, value) -> {
      names.put("#" + name, name);
      values.put(":v_" + name, value);
      sets.add("#" + name + " = :v_" + name);
    });
    String expression = "SET " + String.join(", ", sets);
    if (!remove.isEmpty()) {
      List<String> removes = new ArrayList<>();
      for (String name : remove) {
        names.put("#" + name, name);
        removes.add("#" + name);
      }
      expression += " REMOVE " + String.join(", ", removes);
    }
    names.put("#status", "status");
    values.put(":exec", Attributes.s(executionArn));
    values.put(":processing", Attributes.s(VideoStatus.PROCESSING.name()));
    values.put(":failed", Attributes.s(VideoStatus.FAILED.name()));
    String condition = "attribute_exists(videoId) AND claimedBy = :exec AND #status IN (:processing, :failed)"
        + (extraCondition == null ? "" : " AND " + extraCondition);
    String update = expression;
    try {
      UpdateItemResponse r = dynamo.updateItem(b -> b.tableName(table)
          .key(key(videoId))
          .updateExpression(update)
          .conditionExpression(condition)
          .expressionAttributeNames(names)
          .expressionAttributeValues(values)
          .returnValues(ReturnValue.ALL_NEW));
      return Optional.of(r.attributes());
    } catch (ConditionalCheckFailedException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw AwsErrors.classify(doing + " video " + videoId, e);
    }
  }

  private static TranscodeBinding toBinding(Map<String, AttributeValue> a) {
    return new TranscodeBinding(
        str(a, "videoId"),
        a.containsKey("status") ? VideoStatus.valueOf(str(a, "status")) : null,
        str(a, "claimedBy"),
        str(a, "transcodeJobId"),
        str(a, "transcodeTaskToken"),
        str(a, "transcodeLadder"),
        a.containsKey("transcodeRenditions") ? Attributes.plainList(a.get("transcodeRenditions")) : List.of(),
        a.containsKey("transcodeOutputs") ? Attributes.plainMap(a.get("transcodeOutputs")) : null);
  }
}
