package videopipe.localstack.mediaconvert;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The subset of MediaConvert job settings the local MediaConvert runs, parsed from the CreateJob
 * {@code settings} JSON (REST JSON member names, camelCase). Everything outside the subset is
 * refused by {@link Setting}, naming it; what is accepted but has no effect on the media is listed
 * where it is read ({@link Setting#ignore}).
 *
 * <p>Supported: one {@code inputs[0]} with an {@code s3://} {@code fileInput}; output groups of type
 * {@code HLS_GROUP_SETTINGS} (M3U8 outputs, segmented files) and {@code FILE_GROUP_SETTINGS} (MP4
 * outputs, and RAW outputs with the FRAME_CAPTURE codec); video H_264 with QVBR, CBR or VBR,
 * width/height, framerate and GOP; audio AAC with bitrate, sample rate and 1.0/2.0 coding mode.
 */
record TranscodePlan(S3Location input, boolean autoRotate, List<Group> groups) {

  record S3Location(String bucket, String key) {
    static S3Location parse(String uri, String path) {
      if (uri == null || !uri.startsWith("s3://") || uri.indexOf('/', 5) < 0 || uri.indexOf('/', 5) == 5) {
        throw new Setting.Unsupported(path, "only s3://bucket/key locations are supported, got " + uri);
      }
      int slash = uri.indexOf('/', 5);
      return new S3Location(uri.substring(5, slash), uri.substring(slash + 1));
    }

    String uri() {
      return "s3://" + bucket + "/" + key;
    }
  }

  enum GroupType { HLS_GROUP, FILE_GROUP }

  /**
   * An output group. {@code baseKey} is the destination key the group's files are named from:
   * the destination itself, or, when it ends with '/', that folder plus the input's file name
   * without its extension (MediaConvert's rule).
   */
  record Group(int index, GroupType type, String bucket, String baseKey, int segmentLength,
      boolean integerDurations, List<Output> outputs) {

    String masterKey() {
      return baseKey + ".m3u8";
    }
  }

  enum Container { M3U8, MP4, RAW }

  record Output(int group, int index, String nameModifier, Container container, Integer width, Integer height,
      boolean stretch, H264 h264, FrameCapture frameCapture, Aac aac, boolean fastStart) {

    String path() {
      return "outputGroups[" + group + "].outputs[" + index + "]";
    }
  }

  enum RateControl { QVBR, CBR, VBR }

  record H264(RateControl rateControl, Integer bitrate, Integer maxBitrate, int qvbrLevel, String profile,
      String level, Integer framerateNumerator, Integer framerateDenominator, Double gopSize, boolean gopInSeconds,
      String preset) {}

  record FrameCapture(int framerateNumerator, int framerateDenominator, int maxCaptures, int quality) {}

  record Aac(int bitrate, int sampleRate, int channels) {}

  /** Parses {@code settings}; {@code inputName} is not needed: base keys are resolved here. */
  static TranscodePlan parse(JsonNode settingsJson) {
    Setting settings = new Setting(settingsJson, "");
    List<Setting> inputs = settings.list("inputs");
    if (inputs.size() != 1) {
      throw new Setting.Unsupported("inputs", "exactly one input is supported, got " + inputs.size());
    }
    Setting in = inputs.get(0);
    S3Location input = S3Location.parse(in.string("fileInput"), in.path("fileInput"));
    Setting selectors = in.object("audioSelectors");
    if (selectors != null) {
      // Any number of selectors is fine as long as each picks the default track: that is what we map.
      for (String name : namesOf(settingsJson.path("inputs").get(0).path("audioSelectors"))) {
        Setting s = selectors.object(name);
        s.oneOf("defaultSelection", "DEFAULT", "DEFAULT", "NOT_DEFAULT");
        s.ignore("offset", "0");
        s.ignore("programSelection");
        s.done();
      }
      selectors.done();
    }
    boolean autoRotate = false;
    Setting video = in.object("videoSelector");
    if (video != null) {
      // MediaConvert ignores the rotation metadata unless rotate is AUTO (its default is DEGREE_0).
      autoRotate = "AUTO".equals(video.oneOf("rotate", "DEGREE_0", "DEGREE_0", "AUTO"));
      video.ignore("colorSpace", "FOLLOW");
      video.ignore("alphaBehavior", "DISCARD");
      video.done();
    }
    in.ignore("timecodeSource", "ZEROBASED", "EMBEDDED", "SPECIFIEDSTART");
    in.ignore("filterEnable", "AUTO");
    in.ignore("psiControl", "USE_PSI");
    in.ignore("deblockFilter", "DISABLED");
    in.ignore("denoiseFilter", "DISABLED");
    in.ignore("inputScanType", "AUTO");
    in.done();
    Setting timecode = settings.object("timecodeConfig");
    if (timecode != null) {
      timecode.ignore("source", "ZEROBASED", "EMBEDDED", "SPECIFIEDSTART");
      timecode.done();
    }
    String inputName = input.key().substring(input.key().lastIndexOf('/') + 1);
    int dot = inputName.lastIndexOf('.');
    String inputBase = dot > 0 ? inputName.substring(0, dot) : inputName;
    List<Group> groups = new ArrayList<>();
    List<Setting> outputGroups = settings.list("outputGroups");
    if (outputGroups.isEmpty()) {
      throw new Setting.Unsupported("outputGroups", "at least one output group is required");
    }
    for (int g = 0; g < outputGroups.size(); g++) {
      groups.add(group(g, outputGroups.get(g), inputBase));
    }
    settings.done();
    return new TranscodePlan(input, autoRotate, groups);
  }

  private static List<String> namesOf(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.properties().forEach(e -> names.add(e.getKey()));
    return names;
  }

  private static Group group(int g, Setting group, String inputBase) {
    group.ignore("name");
    group.ignore("customName");
    Setting gs = group.object("outputGroupSettings");
    if (gs == null) {
      throw new Setting.Unsupported(group.path("outputGroupSettings"), "required");
    }
    String type = gs.oneOf("type", null, "HLS_GROUP_SETTINGS", "FILE_GROUP_SETTINGS");
    if (type == null) {
      throw new Setting.Unsupported(gs.path("type"), "required");
    }
    GroupType groupType;
    String destination;
    String destinationPath;
    int segmentLength = 0;
    boolean integerDurations = false;
    if (type.equals("HLS_GROUP_SETTINGS")) {
      groupType = GroupType.HLS_GROUP;
      Setting hls = gs.object("hlsGroupSettings");
      if (hls == null) {
        throw new Setting.Unsupported(gs.path("hlsGroupSettings"), "required for HLS_GROUP_SETTINGS");
      }
      destinationPath = hls.path("destination");
      destination = hls.string("destination");
      segmentLength = hls.positive("segmentLength", 10);
      hls.ignore("minSegmentLength");
      hls.oneOf("segmentControl", "SEGMENTED_FILES", "SEGMENTED_FILES");
      hls.oneOf("outputSelection", "MANIFESTS_AND_SEGMENTS", "MANIFESTS_AND_SEGMENTS");
      integerDurations = "INTEGER".equals(hls.oneOf("manifestDurationFormat", "FLOATING_POINT", "FLOATING_POINT", "INTEGER"));
      hls.oneOf("directoryStructure", "SINGLE_DIRECTORY", "SINGLE_DIRECTORY");
      hls.oneOf("programDateTime", "EXCLUDE", "EXCLUDE");
      hls.oneOf("manifestCompression", "NONE", "NONE");
      hls.oneOf("segmentLengthControl", "GOP_MULTIPLE", "GOP_MULTIPLE", "EXACT");
      // Playlist and packaging details that do not change the media a player gets.
      hls.ignore("codecSpecification", "RFC_4281", "RFC_6381");
      hls.ignore("streamInfResolution", "INCLUDE");
      hls.ignore("clientCache", "ENABLED");
      hls.ignore("captionLanguageSetting", "OMIT", "NONE");
      hls.ignore("timedMetadataId3Frame", "NONE", "PRIV", "TDRL");
      hls.ignore("timedMetadataId3Period");
      hls.ignore("timestampDeltaMilliseconds");
      hls.ignore("programDateTimePeriod");
      hls.ignore("minFinalSegmentLength");
      hls.ignore("mode", "VOD");
      hls.ignore("audioOnlyHeader", "INCLUDE", "EXCLUDE");
      hls.ignore("imageBasedTrickPlay", "NONE");
      hls.done();
    } else {
      groupType = GroupType.FILE_GROUP;
      Setting file = gs.object("fileGroupSettings");
      if (file == null) {
        throw new Setting.Unsupported(gs.path("fileGroupSettings"), "required for FILE_GROUP_SETTINGS");
      }
      destinationPath = file.path("destination");
      destination = file.string("destination");
      file.done();
    }
    gs.done();
    S3Location dest = S3Location.parse(destination, destinationPath);
    String baseKey = dest.key().endsWith("/") || dest.key().isEmpty() ? dest.key() + inputBase : dest.key();
    List<Setting> outs = group.list("outputs");
    if (outs.isEmpty()) {
      throw new Setting.Unsupported(group.path("outputs"), "at least one output is required");
    }
    List<Output> outputs = new ArrayList<>();
    for (int o = 0; o < outs.size(); o++) {
      outputs.add(output(g, o, outs.get(o), groupType));
    }
    group.done();
    List<String> modifiers = outputs.stream().map(o -> o.nameModifier() + "/" + o.container()).toList();
    if (modifiers.stream().distinct().count() != modifiers.size()) {
      throw new Setting.Unsupported(group.path("outputs"),
          "outputs of one group need distinct nameModifiers, or their files would overwrite each other");
    }
    return new Group(g, groupType, dest.bucket(), baseKey, segmentLength, integerDurations, List.copyOf(outputs));
  }

  private static Output output(int g, int o, Setting out, GroupType groupType) {
    String nameModifier = out.string("nameModifier");
    out.ignore("preset");
    out.ignore("extension");
    out.ignore("outputSettings");
    Setting cs = out.object("containerSettings");
    Container container;
    boolean fastStart = false;
    if (cs == null) {
      container = groupType == GroupType.HLS_GROUP ? Container.M3U8 : null;
    } else {
      String c = cs.string("container");
      container = c == null ? null : switch (c) {
        case "M3U8" -> Container.M3U8;
        case "MP4" -> Container.MP4;
        case "RAW" -> Container.RAW;
        default -> throw cs.unsupported("container");
      };
      Setting m3u8 = cs.object("m3u8Settings");
      if (m3u8 != null) {
        // Transport stream PIDs and packetisation: the media inside is the same.
        for (String f : List.of("audioFramesPerPes", "audioPids", "pcrControl", "pcrPid", "pmtPid", "privateMetadataPid",
            "programNumber", "scte35Source", "scte35Pid", "timedMetadata", "timedMetadataPid", "transportStreamId",
            "videoPid", "patInterval", "pmtInterval", "nielsenId3", "audioDuration", "dataPTSControl",
            "maxPcrInterval", "ptsOffset", "ptsOffsetMode")) {
          m3u8.ignore(f);
        }
        m3u8.done();
      }
      Setting mp4 = cs.object("mp4Settings");
      if (mp4 != null) {
        fastStart = !"NORMAL".equals(mp4.oneOf("moovPlacement", "PROGRESSIVE_DOWNLOAD", "PROGRESSIVE_DOWNLOAD", "NORMAL"));
        mp4.ignore("cslgAtom", "INCLUDE", "EXCLUDE");
        mp4.ignore("freeSpaceBox", "EXCLUDE");
        mp4.ignore("mp4MajorBrand");
        mp4.ignore("audioDuration", "DEFAULT_CODEC_DURATION");
        mp4.done();
      } else if (container == Container.MP4) {
        fastStart = true;
      }
      cs.done();
    }
    if (container == null) {
      throw new Setting.Unsupported(out.path("containerSettings.container"), "required in a file group");
    }
    if ((groupType == GroupType.HLS_GROUP) != (container == Container.M3U8)) {
      throw new Setting.Unsupported(out.path("containerSettings.container"),
          container + " in a " + groupType + " is not supported");
    }
    Setting vd = out.object("videoDescription");
    Integer width = null;
    Integer height = null;
    H264 h264 = null;
    FrameCapture frameCapture = null;
    if (vd == null) {
      throw new Setting.Unsupported(out.path("videoDescription"), "audio-only outputs are not supported");
    }
    width = vd.positive("width", null);
    height = vd.positive("height", null);
    boolean stretch = "STRETCH_TO_OUTPUT".equals(vd.oneOf("scalingBehavior", "DEFAULT", "DEFAULT", "STRETCH_TO_OUTPUT"));
    vd.ignore("timecodeInsertion", "DISABLED");
    vd.ignore("antiAlias", "ENABLED");
    vd.ignore("sharpness");
    vd.ignore("afdSignaling", "NONE");
    vd.ignore("dropFrameTimecode", "ENABLED", "DISABLED");
    vd.ignore("respondToAfd", "NONE");
    vd.ignore("colorMetadata", "INSERT", "IGNORE");
    Setting codec = vd.object("codecSettings");
    if (codec == null) {
      throw new Setting.Unsupported(vd.path("codecSettings"), "required");
    }
    String codecName = codec.string("codec");
    if ("H_264".equals(codecName) && container != Container.RAW) {
      h264 = h264(codec.object("h264Settings"), codec.path("h264Settings"));
    } else if ("FRAME_CAPTURE".equals(codecName) && container == Container.RAW) {
      frameCapture = frameCapture(codec.object("frameCaptureSettings"));
    } else {
      throw codec.unsupported("codec");
    }
    codec.done();
    vd.done();
    List<Setting> audios = out.list("audioDescriptions");
    Aac aac = null;
    if (audios.size() > 1) {
      throw new Setting.Unsupported(out.path("audioDescriptions"), "at most one audio description per output");
    }
    if (audios.size() == 1) {
      if (frameCapture != null) {
        throw new Setting.Unsupported(out.path("audioDescriptions"), "a frame capture output has no audio");
      }
      Setting a = audios.get(0);
      a.ignore("audioSourceName");
      a.ignore("languageCodeControl", "FOLLOW_INPUT");
      a.ignore("audioTypeControl", "FOLLOW_INPUT");
      a.ignore("audioType");
      Setting acs = a.object("codecSettings");
      if (acs == null) {
        throw new Setting.Unsupported(a.path("codecSettings"), "required");
      }
      String ac = acs.string("codec");
      if (!"AAC".equals(ac)) {
        throw acs.unsupported("codec");
      }
      Setting s = acs.object("aacSettings");
      if (s == null) {
        throw new Setting.Unsupported(acs.path("aacSettings"), "required");
      }
      int bitrate = s.positive("bitrate", 96000);
      int sampleRate = s.positive("sampleRate", 48000);
      String mode = s.oneOf("codingMode", "CODING_MODE_2_0", "CODING_MODE_2_0", "CODING_MODE_1_0");
      s.oneOf("codecProfile", "LC", "LC");
      s.oneOf("rateControlMode", "CBR", "CBR");
      s.ignore("rawFormat", "NONE");
      s.ignore("specification", "MPEG4", "MPEG2");
      s.ignore("audioDescriptionBroadcasterMix", "NORMAL");
      s.done();
      acs.done();
      a.done();
      aac = new Aac(bitrate, sampleRate, mode.equals("CODING_MODE_1_0") ? 1 : 2);
    }
    out.done();
    return new Output(g, o, nameModifier == null ? "" : nameModifier, container, width, height, stretch, h264, frameCapture,
        aac, fastStart);
  }

  private static H264 h264(Setting s, String path) {
    if (s == null) {
      throw new Setting.Unsupported(path, "required for H_264");
    }
    RateControl rc = RateControl.valueOf(s.oneOf("rateControlMode", "CBR", "QVBR", "CBR", "VBR"));
    Integer bitrate = s.positive("bitrate", null);
    Integer maxBitrate = s.positive("maxBitrate", null);
    int qvbrLevel = 7;
    Setting qvbr = s.object("qvbrSettings");
    if (qvbr != null) {
      if (rc != RateControl.QVBR) {
        throw new Setting.Unsupported(s.path("qvbrSettings"), "qvbrSettings with rateControlMode " + rc);
      }
      Integer level = qvbr.integer("qvbrQualityLevel");
      if (level != null && (level < 1 || level > 10)) {
        throw qvbr.unsupported("qvbrQualityLevel");
      }
      qvbrLevel = level == null ? 7 : level;
      qvbr.ignore("qvbrQualityLevelFineTune");
      qvbr.ignore("maxAverageBitrate");
      qvbr.done();
    }
    switch (rc) {
      case QVBR -> {
        if (maxBitrate == null) {
          throw new Setting.Unsupported(s.path("maxBitrate"), "required with QVBR");
        }
        if (bitrate != null) {
          throw s.unsupported("bitrate");
        }
      }
      case CBR -> {
        if (bitrate == null) {
          throw new Setting.Unsupported(s.path("bitrate"), "required with CBR");
        }
      }
      case VBR -> {
        if (bitrate == null) {
          throw new Setting.Unsupported(s.path("bitrate"), "required with VBR");
        }
      }
    }
    String profile = switch (s.oneOf("codecProfile", "MAIN", "BASELINE", "MAIN", "HIGH")) {
      case "BASELINE" -> "baseline";
      case "HIGH" -> "high";
      default -> "main";
    };
    String level = s.oneOf("codecLevel", "AUTO", "AUTO", "LEVEL_3", "LEVEL_3_1", "LEVEL_3_2", "LEVEL_4", "LEVEL_4_1",
        "LEVEL_4_2", "LEVEL_5", "LEVEL_5_1", "LEVEL_5_2");
    level = level.equals("AUTO") ? null : level.substring("LEVEL_".length()).replace('_', '.');
    String fr = s.oneOf("framerateControl", "INITIALIZE_FROM_SOURCE", "INITIALIZE_FROM_SOURCE", "SPECIFIED");
    Integer num = s.positive("framerateNumerator", null);
    Integer den = s.positive("framerateDenominator", null);
    if (fr.equals("SPECIFIED") && (num == null || den == null)) {
      throw new Setting.Unsupported(s.path("framerateControl"), "SPECIFIED needs framerateNumerator and framerateDenominator");
    }
    if (fr.equals("INITIALIZE_FROM_SOURCE")) {
      num = null;
      den = null;
    }
    s.oneOf("framerateConversionAlgorithm", "DUPLICATE_DROP", "DUPLICATE_DROP");
    Double gop = s.number("gopSize");
    boolean gopSeconds = "SECONDS".equals(s.oneOf("gopSizeUnits", "FRAMES", "FRAMES", "SECONDS", "AUTO"));
    String preset = switch (s.oneOf("qualityTuningLevel", "SINGLE_PASS", "SINGLE_PASS", "SINGLE_PASS_HQ")) {
      case "SINGLE_PASS_HQ" -> "medium";
      default -> "veryfast";
    };
    s.oneOf("interlaceMode", "PROGRESSIVE", "PROGRESSIVE");
    s.oneOf("parControl", "INITIALIZE_FROM_SOURCE", "INITIALIZE_FROM_SOURCE");
    s.oneOf("entropyEncoding", "CABAC", "CABAC", "CAVLC");
    s.oneOf("telecine", "NONE", "NONE");
    s.oneOf("syntax", "DEFAULT", "DEFAULT");
    // Encoder tuning that MediaConvert and x264 each decide for themselves: no visible contract.
    for (String f : List.of("sceneChangeDetect", "adaptiveQuantization", "spatialAdaptiveQuantization",
        "temporalAdaptiveQuantization", "flickerAdaptiveQuantization", "numberBFramesBetweenReferenceFrames",
        "numberReferenceFrames", "gopBReference", "gopClosedCadence", "minIInterval", "slices", "slowPal",
        "softness", "unregisteredSeiTimecode", "repeatPps", "hrdBufferSize", "hrdBufferInitialFillPercentage",
        "hrdBufferFinalFillPercentage", "dynamicSubGop", "fieldEncoding", "writeMp4PackagingType")) {
      s.ignore(f);
    }
    s.done();
    return new H264(rc, bitrate, maxBitrate, qvbrLevel, profile, level, num, den, gop, gopSeconds, preset);
  }

  private static FrameCapture frameCapture(Setting s) {
    if (s == null) {
      return new FrameCapture(1, 1, 1, 80);
    }
    int num = s.positive("framerateNumerator", 1);
    int den = s.positive("framerateDenominator", 1);
    int max = s.positive("maxCaptures", 10_000_000);
    Integer quality = s.integer("quality");
    if (quality != null && (quality < 1 || quality > 100)) {
      throw s.unsupported("quality");
    }
    s.done();
    return new FrameCapture(num, den, max, quality == null ? 80 : quality);
  }
}
