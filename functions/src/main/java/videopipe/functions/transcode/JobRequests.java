package videopipe.functions.transcode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.mediaconvert.model.AacCodingMode;
import software.amazon.awssdk.services.mediaconvert.model.AacSettings;
import software.amazon.awssdk.services.mediaconvert.model.AudioCodec;
import software.amazon.awssdk.services.mediaconvert.model.AudioCodecSettings;
import software.amazon.awssdk.services.mediaconvert.model.AudioDefaultSelection;
import software.amazon.awssdk.services.mediaconvert.model.AudioDescription;
import software.amazon.awssdk.services.mediaconvert.model.AudioSelector;
import software.amazon.awssdk.services.mediaconvert.model.ContainerSettings;
import software.amazon.awssdk.services.mediaconvert.model.ContainerType;
import software.amazon.awssdk.services.mediaconvert.model.CreateJobRequest;
import software.amazon.awssdk.services.mediaconvert.model.FileGroupSettings;
import software.amazon.awssdk.services.mediaconvert.model.FrameCaptureSettings;
import software.amazon.awssdk.services.mediaconvert.model.H264CodecLevel;
import software.amazon.awssdk.services.mediaconvert.model.H264CodecProfile;
import software.amazon.awssdk.services.mediaconvert.model.H264FramerateControl;
import software.amazon.awssdk.services.mediaconvert.model.H264FramerateConversionAlgorithm;
import software.amazon.awssdk.services.mediaconvert.model.H264GopSizeUnits;
import software.amazon.awssdk.services.mediaconvert.model.H264QvbrSettings;
import software.amazon.awssdk.services.mediaconvert.model.H264RateControlMode;
import software.amazon.awssdk.services.mediaconvert.model.H264SceneChangeDetect;
import software.amazon.awssdk.services.mediaconvert.model.H264Settings;
import software.amazon.awssdk.services.mediaconvert.model.HlsGroupSettings;
import software.amazon.awssdk.services.mediaconvert.model.HlsSegmentControl;
import software.amazon.awssdk.services.mediaconvert.model.Input;
import software.amazon.awssdk.services.mediaconvert.model.InputRotate;
import software.amazon.awssdk.services.mediaconvert.model.InputTimecodeSource;
import software.amazon.awssdk.services.mediaconvert.model.JobSettings;
import software.amazon.awssdk.services.mediaconvert.model.Output;
import software.amazon.awssdk.services.mediaconvert.model.OutputGroup;
import software.amazon.awssdk.services.mediaconvert.model.OutputGroupSettings;
import software.amazon.awssdk.services.mediaconvert.model.OutputGroupType;
import software.amazon.awssdk.services.mediaconvert.model.VideoCodec;
import software.amazon.awssdk.services.mediaconvert.model.VideoCodecSettings;
import software.amazon.awssdk.services.mediaconvert.model.VideoDescription;
import software.amazon.awssdk.services.mediaconvert.model.VideoSelector;
import videopipe.functions.publish.Rendition;

/**
 * Writes the MediaConvert {@code CreateJob} request for a plan: a pure function, so that every
 * field can be checked against the API reference without a MediaConvert. It uses a deliberately
 * small subset of MediaConvert's job settings, which the local MediaConvert implements (see
 * {@code docs/transcode.md}); anything added here must be added there too.
 *
 * <p>Outputs, all under {@code media/{videoId}/} in the media bucket:
 * <ul>
 *   <li>HLS group: {@code hls/index.m3u8} (multivariant) and {@code hls/index_{rung}.m3u8}, each
 *       rendition muxed video + audio in TS segments of 6 s;
 *   <li>file group: {@code download.mp4}, the top rendition;
 *   <li>file group: {@code poster.NNNNNNN.jpg}, a frame capture (the last capture is the poster).
 * </ul>
 */
public final class JobRequests {

  /** The one audio selector's name; MediaConvert's console names its first one the same. */
  static final String AUDIO_SELECTOR = "Audio Selector 1";
  static final int SEGMENT_SECONDS = 6;
  static final int QVBR_QUALITY = 7;

  private JobRequests() {}

  /** Where MediaConvert writes: the role it assumes, its queue (null: Default), the media bucket. */
  public record Target(String role, String queue, String mediaBucket, String stack) {

    /** Fails naming the missing variable: submitTranscode cannot run without a role and a bucket. */
    void require() {
      if (role == null || role.isBlank()) {
        throw new IllegalStateException("environment variable MEDIACONVERT_ROLE_ARN is not set");
      }
      if (mediaBucket == null || mediaBucket.isBlank()) {
        throw new IllegalStateException("environment variable MEDIA_BUCKET (or UPLOAD_BUCKET) is not set");
      }
    }
  }

  /** The source and who asked: the user metadata the job's events carry back. */
  public record Source(String videoId, String executionArn, String bucket, String key) {}

  public static CreateJobRequest createJob(Source source, TranscodePlan plan, Target target, String clientRequestToken) {
    Input.Builder input = Input.builder()
        .fileInput("s3://" + source.bucket() + "/" + source.key())
        .timecodeSource(InputTimecodeSource.ZEROBASED)
        // AUTO applies the source's rotation, so a portrait phone video comes out portrait: the
        // plan's widths and heights are the display's.
        .videoSelector(VideoSelector.builder().rotate(InputRotate.AUTO).build());
    if (plan.audio()) {
      input.audioSelectors(Map.of(AUDIO_SELECTOR,
          AudioSelector.builder().defaultSelection(AudioDefaultSelection.DEFAULT).build()));
    }
    String base = "s3://" + target.mediaBucket() + "/" + prefix(source.videoId());

    List<Output> hls = new ArrayList<>();
    for (TranscodePlan.Output o : plan.renditions()) {
      hls.add(withAudio(Output.builder()
          .nameModifier("_" + o.name())
          .containerSettings(ContainerSettings.builder().container(ContainerType.M3_U8).build())
          .videoDescription(video(o)), plan)
          .build());
    }
    OutputGroup hlsGroup = OutputGroup.builder()
        .name("HLS")
        .outputGroupSettings(OutputGroupSettings.builder()
            .type(OutputGroupType.HLS_GROUP_SETTINGS)
            .hlsGroupSettings(HlsGroupSettings.builder()
                .destination(base + "hls/index")
                .segmentLength(SEGMENT_SECONDS)
                .minSegmentLength(0)
                .segmentControl(HlsSegmentControl.SEGMENTED_FILES)
                .build())
            .build())
        .outputs(hls)
        .build();

    OutputGroup mp4Group = OutputGroup.builder()
        .name("MP4")
        .outputGroupSettings(OutputGroupSettings.builder()
            .type(OutputGroupType.FILE_GROUP_SETTINGS)
            .fileGroupSettings(FileGroupSettings.builder().destination(base + "download").build())
            .build())
        .outputs(withAudio(Output.builder()
            .extension("mp4")
            .containerSettings(ContainerSettings.builder().container(ContainerType.MP4).build())
            .videoDescription(video(plan.top())), plan)
            .build())
        .build();

    TranscodePlan.Poster poster = plan.poster();
    OutputGroup posterGroup = OutputGroup.builder()
        .name("Poster")
        .outputGroupSettings(OutputGroupSettings.builder()
            .type(OutputGroupType.FILE_GROUP_SETTINGS)
            .fileGroupSettings(FileGroupSettings.builder().destination(base + "poster").build())
            .build())
        .outputs(Output.builder()
            .extension("jpg")
            .containerSettings(ContainerSettings.builder().container(ContainerType.RAW).build())
            .videoDescription(VideoDescription.builder()
                .width(poster.width())
                .height(poster.height())
                .codecSettings(VideoCodecSettings.builder()
                    .codec(VideoCodec.FRAME_CAPTURE)
                    .frameCaptureSettings(FrameCaptureSettings.builder()
                        .framerateNumerator(1)
                        .framerateDenominator(poster.atSecond())
                        .maxCaptures(poster.captures())
                        .quality(poster.quality())
                        .build())
                    .build())
                .build())
            .build())
        .build();

    Map<String, String> userMetadata = new LinkedHashMap<>();
    userMetadata.put("videoId", source.videoId());
    userMetadata.put("executionArn", source.executionArn());
    if (target.stack() != null) {
      // The transcode rule's pattern matches detail.userMetadata.videopipeStack: one stack's
      // completions never answer another stack's tasks.
      userMetadata.put("videopipeStack", target.stack());
    }
    CreateJobRequest.Builder request = CreateJobRequest.builder()
        .role(target.role())
        .clientRequestToken(clientRequestToken)
        .userMetadata(userMetadata)
        .settings(JobSettings.builder()
            .inputs(input.build())
            .outputGroups(hlsGroup, mp4Group, posterGroup)
            .build());
    if (target.queue() != null) {
      request.queue(target.queue());
    }
    return request.build();
  }

  private static VideoDescription video(TranscodePlan.Output o) {
    H264Settings.Builder h264 = H264Settings.builder()
        .rateControlMode(H264RateControlMode.QVBR)
        .qvbrSettings(H264QvbrSettings.builder().qvbrQualityLevel(QVBR_QUALITY).build())
        .maxBitrate((int) o.maxBitrate())
        .codecProfile(H264CodecProfile.MAIN)
        .codecLevel(H264CodecLevel.AUTO)
        .gopSize(2.0)
        .gopSizeUnits(H264GopSizeUnits.SECONDS)
        .sceneChangeDetect(H264SceneChangeDetect.TRANSITION_DETECTION);
    if (o.frameRate() == null) {
      h264.framerateControl(H264FramerateControl.INITIALIZE_FROM_SOURCE);
    } else {
      h264.framerateControl(H264FramerateControl.SPECIFIED)
          .framerateNumerator(o.frameRate().numerator())
          .framerateDenominator(o.frameRate().denominator())
          .framerateConversionAlgorithm(H264FramerateConversionAlgorithm.DUPLICATE_DROP);
    }
    return VideoDescription.builder()
        .width(o.width())
        .height(o.height())
        .codecSettings(VideoCodecSettings.builder().codec(VideoCodec.H_264).h264Settings(h264.build()).build())
        .build();
  }

  /** No audio description at all for a silent source (an empty list would still go on the wire). */
  private static Output.Builder withAudio(Output.Builder output, TranscodePlan plan) {
    return plan.audio() ? output.audioDescriptions(audio(plan)) : output;
  }

  private static List<AudioDescription> audio(TranscodePlan plan) {
    return List.of(AudioDescription.builder()
        .audioSourceName(AUDIO_SELECTOR)
        .codecSettings(AudioCodecSettings.builder()
            .codec(AudioCodec.AAC)
            .aacSettings(AacSettings.builder()
                .bitrate(plan.audioBitrate())
                .codingMode(AacCodingMode.CODING_MODE_2_0)
                .sampleRate(48_000)
                .build())
            .build())
        .build());
  }

  /** {@code media/{videoId}/}: everything the transcode and the captions write for one video. */
  public static String prefix(String videoId) {
    return "media/" + videoId + "/";
  }

  /** The multivariant playlist's key. */
  public static String playlistKey(String videoId) {
    return prefix(videoId) + "hls/index.m3u8";
  }

  /** The MP4's key. */
  public static String mp4Key(String videoId) {
    return prefix(videoId) + "download.mp4";
  }

  /** The renditions as they will be, each with its variant playlist's key. */
  public static List<Rendition> renditions(String videoId, TranscodePlan plan) {
    return plan.renditions().stream()
        .map(o -> new Rendition(o.name(), o.width(), o.height(), o.maxBitrate(),
            prefix(videoId) + "hls/index_" + o.name() + ".m3u8"))
        .toList();
  }

  /**
   * The client request token: the same video, ladder and attempt always give the same token, so a
   * CreateJob retried within MediaConvert's one-minute window returns the first job instead of
   * starting a second. {@code replacing} is the failed job a new one replaces (null for the first),
   * so that a deliberate resubmission is not mistaken for a retry. A name-based UUID: at most 64
   * ASCII characters, as MediaConvert requires.
   */
  public static String clientRequestToken(String videoId, Ladder ladder, String replacing) {
    String seed = videoId + "|" + ladder.fingerprint() + "|" + (replacing == null ? "" : replacing);
    return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
