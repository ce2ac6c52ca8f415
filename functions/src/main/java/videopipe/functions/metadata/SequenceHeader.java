package videopipe.functions.metadata;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The picture size (after cropping) and, when the stream states it, the frame rate, read from a
 * video elementary stream's sequence header. MPEG-TS carries no picture size of its own, so this
 * is where the TS probe gets it.
 *
 * @param frameRate null when the header does not state one (H.264 without VUI timing; HEVC, whose
 *     VUI sits behind structures not worth parsing here: the TS probe then uses PTS deltas)
 */
record SequenceHeader(int width, int height, @Nullable Double frameRate) {

  /** H.264 profiles whose SPS carries chroma format, bit depths and scaling matrices. */
  private static final Set<Integer> HIGH_PROFILES = Set.of(100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135);

  /**
   * Parses an H.264 sequence parameter set (ITU-T H.264 7.3.2.1.1), given the NAL unit without its
   * start code; its first byte is the NAL header (type 7).
   */
  static SequenceHeader h264(byte[] nal) {
    if (nal.length < 2) {
      throw UnreadableVideoException.corrupt("the H.264 sequence parameter set is cut short");
    }
    BitReader r = new BitReader(java.util.Arrays.copyOfRange(nal, 1, nal.length), "H.264 sequence parameter set");
    int profile = (int) r.bits(8);
    r.skip(16); // constraint flags, level_idc
    r.ue(31, "seq_parameter_set_id");
    int chromaFormat = 1;
    boolean separateColourPlanes = false;
    if (HIGH_PROFILES.contains(profile)) {
      chromaFormat = r.ue(3, "chroma_format_idc");
      if (chromaFormat == 3) {
        separateColourPlanes = r.flag();
      }
      r.ue(14, "bit_depth_luma_minus8");
      r.ue(14, "bit_depth_chroma_minus8");
      r.skip(1); // qpprime_y_zero_transform_bypass_flag
      if (r.flag()) { // seq_scaling_matrix_present_flag
        int lists = chromaFormat != 3 ? 8 : 12;
        for (int i = 0; i < lists; i++) {
          if (r.flag()) {
            skipScalingList(r, i < 6 ? 16 : 64);
          }
        }
      }
    }
    r.ue(12, "log2_max_frame_num_minus4");
    int pocType = r.ue(2, "pic_order_cnt_type");
    if (pocType == 0) {
      r.ue(12, "log2_max_pic_order_cnt_lsb_minus4");
    } else if (pocType == 1) {
      r.skip(1); // delta_pic_order_always_zero_flag
      r.se(); // offset_for_non_ref_pic
      r.se(); // offset_for_top_to_bottom_field
      int cycle = r.ue(255, "num_ref_frames_in_pic_order_cnt_cycle");
      for (int i = 0; i < cycle; i++) {
        r.se();
      }
    }
    r.ue(32, "max_num_ref_frames");
    r.skip(1); // gaps_in_frame_num_value_allowed_flag
    int widthInMbs = r.ue(1 << 16, "pic_width_in_mbs_minus1") + 1;
    int heightInMapUnits = r.ue(1 << 16, "pic_height_in_map_units_minus1") + 1;
    boolean frameMbsOnly = r.flag();
    if (!frameMbsOnly) {
      r.skip(1); // mb_adaptive_frame_field_flag
    }
    r.skip(1); // direct_8x8_inference_flag
    long cropLeft = 0;
    long cropRight = 0;
    long cropTop = 0;
    long cropBottom = 0;
    if (r.flag()) { // frame_cropping_flag
      cropLeft = r.ue();
      cropRight = r.ue();
      cropTop = r.ue();
      cropBottom = r.ue();
    }
    // 7.4.2.1.1: crop offsets count in chroma sample units, and in field pairs when interlaced.
    int chromaArrayType = separateColourPlanes ? 0 : chromaFormat;
    int subWidth = chromaArrayType == 1 || chromaArrayType == 2 ? 2 : 1;
    int subHeight = chromaArrayType == 1 ? 2 : 1;
    int fieldFactor = frameMbsOnly ? 1 : 2;
    long width = widthInMbs * 16L - subWidth * (cropLeft + cropRight);
    long height = fieldFactor * heightInMapUnits * 16L - subHeight * fieldFactor * (cropTop + cropBottom);
    if (width <= 0 || height <= 0) {
      throw UnreadableVideoException.corrupt("the H.264 sequence parameter set crops the picture to nothing");
    }
    Double frameRate = null;
    if (r.flag()) { // vui_parameters_present_flag (E.1.1)
      if (r.flag()) { // aspect_ratio_info_present_flag
        if (r.bits(8) == 255) {
          r.skip(32); // sar_width, sar_height
        }
      }
      if (r.flag()) { // overscan_info_present_flag
        r.skip(1);
      }
      if (r.flag()) { // video_signal_type_present_flag
        r.skip(4); // video_format, video_full_range_flag
        if (r.flag()) {
          r.skip(24); // colour primaries, transfer characteristics, matrix coefficients
        }
      }
      if (r.flag()) { // chroma_loc_info_present_flag
        r.ue();
        r.ue();
      }
      if (r.flag()) { // timing_info_present_flag
        long unitsInTick = r.bits(32);
        long timeScale = r.bits(32);
        if (unitsInTick > 0 && timeScale > 0) {
          // A tick is a field: two per frame (E.2.1).
          frameRate = timeScale / (2.0 * unitsInTick);
        }
      }
    }
    return new SequenceHeader((int) width, (int) height, frameRate);
  }

  private static void skipScalingList(BitReader r, int size) {
    int last = 8;
    int next = 8;
    for (int j = 0; j < size; j++) {
      if (next != 0) {
        long delta = r.se();
        next = (int) ((last + delta + 256) % 256);
      }
      last = next == 0 ? last : next;
    }
  }

  /**
   * Parses the start of an HEVC sequence parameter set (ITU-T H.265 7.3.2.2) up to the conformance
   * window, given the NAL unit without its start code (two header bytes, type 33).
   */
  static SequenceHeader hevc(byte[] nal) {
    if (nal.length < 3) {
      throw UnreadableVideoException.corrupt("the HEVC sequence parameter set is cut short");
    }
    BitReader r = new BitReader(java.util.Arrays.copyOfRange(nal, 2, nal.length), "HEVC sequence parameter set");
    r.skip(4); // sps_video_parameter_set_id
    int maxSubLayersMinus1 = (int) r.bits(3);
    r.skip(1); // sps_temporal_id_nesting_flag
    // profile_tier_level(1, maxSubLayersMinus1), 7.3.3
    r.skip(96); // general profile space .. general_level_idc
    boolean[] profilePresent = new boolean[maxSubLayersMinus1];
    boolean[] levelPresent = new boolean[maxSubLayersMinus1];
    for (int i = 0; i < maxSubLayersMinus1; i++) {
      profilePresent[i] = r.flag();
      levelPresent[i] = r.flag();
    }
    if (maxSubLayersMinus1 > 0) {
      r.skip(2 * (8 - maxSubLayersMinus1)); // reserved_zero_2bits
    }
    for (int i = 0; i < maxSubLayersMinus1; i++) {
      if (profilePresent[i]) {
        r.skip(88);
      }
      if (levelPresent[i]) {
        r.skip(8);
      }
    }
    r.ue(15, "sps_seq_parameter_set_id");
    int chromaFormat = r.ue(3, "chroma_format_idc");
    boolean separateColourPlanes = chromaFormat == 3 && r.flag();
    long width = r.ue(1 << 16, "pic_width_in_luma_samples");
    long height = r.ue(1 << 16, "pic_height_in_luma_samples");
    if (r.flag()) { // conformance_window_flag; offsets in chroma units (Table 6-1)
      int chromaArrayType = separateColourPlanes ? 0 : chromaFormat;
      int subWidth = chromaArrayType == 1 || chromaArrayType == 2 ? 2 : 1;
      int subHeight = chromaArrayType == 1 ? 2 : 1;
      width -= subWidth * (r.ue() + r.ue());
      height -= subHeight * (r.ue() + r.ue());
    }
    if (width <= 0 || height <= 0) {
      throw UnreadableVideoException.corrupt("the HEVC sequence parameter set describes an empty picture");
    }
    return new SequenceHeader((int) width, (int) height, null);
  }

  /** MPEG-1/2 frame_rate_code values (ISO/IEC 13818-2 Table 6-4), index 0 forbidden. */
  private static final double[] MPEG2_RATES = {0, 24000 / 1001.0, 24, 25, 30000 / 1001.0, 30, 50, 60000 / 1001.0, 60};

  /**
   * Parses an MPEG-1/2 video sequence header, given the bytes after its start code 00 00 01 B3:
   * 12 bits of width, 12 of height, 4 of aspect ratio and 4 of frame rate code.
   */
  static SequenceHeader mpeg2(byte[] afterStartCode) {
    if (afterStartCode.length < 4) {
      throw UnreadableVideoException.corrupt("the MPEG-2 sequence header is cut short");
    }
    int width = (Bytes.u8(afterStartCode, 0) << 4) | (Bytes.u8(afterStartCode, 1) >> 4);
    int height = ((Bytes.u8(afterStartCode, 1) & 0x0F) << 8) | Bytes.u8(afterStartCode, 2);
    int rateCode = Bytes.u8(afterStartCode, 3) & 0x0F;
    if (width == 0 || height == 0) {
      throw UnreadableVideoException.corrupt("the MPEG-2 sequence header describes an empty picture");
    }
    return new SequenceHeader(width, height, rateCode > 0 && rateCode < MPEG2_RATES.length ? MPEG2_RATES[rateCode] : null);
  }
}
