package videopipe.localstack.mediaconvert;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import videopipe.localstack.mediaconvert.TranscodePlan.Group;
import videopipe.localstack.mediaconvert.TranscodePlan.GroupType;
import videopipe.localstack.mediaconvert.TranscodePlan.H264;
import videopipe.localstack.mediaconvert.TranscodePlan.Output;

/**
 * A plan as ONE ffmpeg run: the input is decoded once, {@code split} into one branch per output,
 * each branch scaled (and frame-rate converted) for its output and encoded by its own encoder into
 * its own muxer. Every output's files go to {@code workDir/g<group>/}, named as MediaConvert names
 * them in S3 ({@link #fileStem}), so that uploading is a copy of the folder under the group's key
 * prefix.
 *
 * <p>Mappings that are approximations, by necessity (x264 is not MediaConvert's encoder): QVBR
 * quality level L becomes CRF {@code 37 - 2L} capped by maxBitrate (VBV buffer of two seconds at
 * maxBitrate); qualityTuningLevel SINGLE_PASS is x264's {@code veryfast} preset, SINGLE_PASS_HQ its
 * {@code medium}; frame capture quality Q (1-100) is mjpeg's {@code -q:v} 31..2.
 */
final class FfmpegCommand {

  private FfmpegCommand() {}

  /** The local file name stem of an output: the group's base name plus the output's name modifier. */
  static String fileStem(Group group, Output output) {
    String base = group.baseKey().substring(group.baseKey().lastIndexOf('/') + 1);
    return base + output.nameModifier();
  }

  static Path groupDir(Path workDir, Group group) {
    return workDir.resolve("g" + group.index());
  }

  static int crf(int qvbrLevel) {
    return 37 - 2 * qvbrLevel;
  }

  static List<String> build(TranscodePlan plan, Path input, Path workDir, boolean progress) {
    List<Output> outputs = plan.groups().stream().flatMap(g -> g.outputs().stream()).toList();
    List<String> args = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-y", "-loglevel", "error"));
    if (progress) {
      args.addAll(List.of("-progress", "pipe:1", "-nostats"));
    }
    if (!plan.autoRotate()) {
      args.add("-noautorotate");
    }
    args.addAll(List.of("-i", input.toString()));
    StringBuilder graph = new StringBuilder("[0:v]split=").append(outputs.size());
    for (int i = 0; i < outputs.size(); i++) {
      graph.append("[s").append(i).append(']');
    }
    for (int i = 0; i < outputs.size(); i++) {
      graph.append(";[s").append(i).append(']').append(chain(outputs.get(i))).append("[v").append(i).append(']');
    }
    args.addAll(List.of("-filter_complex", graph.toString()));
    int i = 0;
    for (Group group : plan.groups()) {
      Path dir = groupDir(workDir, group);
      for (Output output : group.outputs()) {
        args.addAll(List.of("-map", "[v" + i + "]"));
        String stem = fileStem(group, output);
        if (output.frameCapture() != null) {
          int q = Math.round(31 - (output.frameCapture().quality() - 1) * 29f / 99f);
          args.addAll(List.of("-c:v", "mjpeg", "-q:v", String.valueOf(q),
              "-frames:v", String.valueOf(output.frameCapture().maxCaptures()),
              "-start_number", "0", "-f", "image2", dir.resolve(stem + ".%07d.jpg").toString()));
        } else {
          if (output.aac() != null) {
            args.addAll(List.of("-map", "0:a:0"));
          }
          args.addAll(h264(output.h264(), group));
          if (output.aac() != null) {
            args.addAll(List.of("-c:a", "aac", "-b:a", String.valueOf(output.aac().bitrate()),
                "-ar", String.valueOf(output.aac().sampleRate()), "-ac", String.valueOf(output.aac().channels())));
          }
          if (group.type() == GroupType.HLS_GROUP) {
            args.addAll(List.of("-f", "hls", "-hls_time", String.valueOf(group.segmentLength()),
                "-hls_playlist_type", "vod", "-hls_list_size", "0", "-start_number", "1",
                "-hls_segment_type", "mpegts",
                "-hls_segment_filename", dir.resolve(stem + "_%05d.ts").toString()));
            if (group.integerDurations()) {
              args.addAll(List.of("-hls_flags", "round_durations"));
            }
            args.add(dir.resolve(stem + ".m3u8").toString());
          } else {
            if (output.fastStart()) {
              args.addAll(List.of("-movflags", "+faststart"));
            }
            args.addAll(List.of("-f", "mp4", dir.resolve(stem + ".mp4").toString()));
          }
        }
        i++;
      }
    }
    return args;
  }

  private static String chain(Output output) {
    List<String> filters = new ArrayList<>();
    if (output.frameCapture() != null) {
      filters.add("fps=" + output.frameCapture().framerateNumerator() + "/" + output.frameCapture().framerateDenominator());
    } else if (output.h264().framerateNumerator() != null) {
      filters.add("fps=" + output.h264().framerateNumerator() + "/" + output.h264().framerateDenominator());
    }
    Integer w = output.width();
    Integer h = output.height();
    if (w != null && h != null) {
      if (output.stretch()) {
        filters.add("scale=" + w + ":" + h);
      } else {
        // MediaConvert's DEFAULT scaling letterboxes (or pillarboxes) into the frame asked for.
        filters.add("scale=" + w + ":" + h + ":force_original_aspect_ratio=decrease");
        filters.add("pad=" + w + ":" + h + ":(ow-iw)/2:(oh-ih)/2");
      }
      filters.add("setsar=1");
    } else if (w != null) {
      filters.add("scale=" + w + ":-2");
    } else if (h != null) {
      filters.add("scale=-2:" + h);
    }
    if (output.h264() != null) {
      filters.add("format=yuv420p");
    }
    return filters.isEmpty() ? "null" : String.join(",", filters);
  }

  private static List<String> h264(H264 h, Group group) {
    List<String> args = new ArrayList<>(List.of("-c:v", "libx264", "-preset", h.preset(), "-profile:v", h.profile()));
    if (h.level() != null) {
      args.addAll(List.of("-level:v", h.level()));
    }
    switch (h.rateControl()) {
      case QVBR -> args.addAll(List.of("-crf", String.valueOf(crf(h.qvbrLevel())),
          "-maxrate", String.valueOf(h.maxBitrate()), "-bufsize", String.valueOf(2L * h.maxBitrate())));
      case CBR -> args.addAll(List.of("-b:v", String.valueOf(h.bitrate()), "-minrate", String.valueOf(h.bitrate()),
          "-maxrate", String.valueOf(h.bitrate()), "-bufsize", String.valueOf(h.bitrate())));
      case VBR -> {
        args.addAll(List.of("-b:v", String.valueOf(h.bitrate())));
        if (h.maxBitrate() != null) {
          args.addAll(List.of("-maxrate", String.valueOf(h.maxBitrate()), "-bufsize", String.valueOf(2L * h.maxBitrate())));
        }
      }
    }
    if (group.type() == GroupType.HLS_GROUP) {
      // Every segment must start on a keyframe for the segments to cut at segmentLength.
      args.addAll(List.of("-force_key_frames:v", "expr:gte(t,n_forced*" + group.segmentLength() + ")"));
    } else if (h.gopSize() != null && h.gopInSeconds()) {
      args.addAll(List.of("-force_key_frames:v", "expr:gte(t,n_forced*" + h.gopSize() + ")"));
    }
    if (h.gopSize() != null && !h.gopInSeconds()) {
      args.addAll(List.of("-g:v", String.valueOf(Math.round(h.gopSize()))));
    }
    return args;
  }
}
