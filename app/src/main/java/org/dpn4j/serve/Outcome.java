package org.dpn4j.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dpn4j.data.LabelSet;
import org.dpn4j.io.LabelMaps;
import org.dpn4j.value.Maps;

/**
 * One request's result, rendered in the format the client asked for: the label map as
 * {@code dpn segment} writes {@code NAME.png} ({@code png}), the photo with the label colours over
 * it ({@code overlay}), or a JSON summary ({@code json}: size, label set, per-class area, timings;
 * with {@code images=true} also the label maps as PNG data URLs, which the web page shows).
 *
 * @param model the served model's name
 * @param rgb the photo, 3 x H x W in [0, 1]
 * @param labels the final labels, row-major
 * @param baseline the labels before refinement (the unary's), or null when not computed
 * @param labelSet names and colours of the labels
 * @param palette the colours the label PNG carries
 * @param timings milliseconds by step, in order
 */
record Outcome(String model, Maps rgb, int[] labels, int[] baseline, LabelSet labelSet, int[] palette,
    Map<String, Double> timings) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The formats of a response. */
  enum Format {
    png,
    overlay,
    json
  }

  /** The labels as the 8-bit palette PNG {@code dpn segment} writes (same image, same encoder). */
  byte[] labelPng() {
    return LabelMaps.pngBytes(indexed(labels));
  }

  /** The overlay PNG, as {@code dpn segment} writes {@code NAME_overlay.png}. */
  byte[] overlayPng() {
    return LabelMaps.pngBytes(LabelMaps.overlay(rgb, labels, palette, org.dpn4j.model.Segmentation.OVERLAY_ALPHA));
  }

  private BufferedImage indexed(int[] l) {
    return LabelMaps.indexed(l, rgb.h, rgb.w, palette);
  }

  /** The JSON summary; with {@code images} the label maps (and the unary's) as PNG data URLs. */
  byte[] json(boolean images) {
    ObjectNode root = JSON.createObjectNode();
    root.put("model", model);
    root.put("width", rgb.w);
    root.put("height", rgb.h);
    root.set("labels", labelTable(labels));
    if (baseline != null) {
      root.set("unaryLabels", labelTable(baseline));
    }
    ObjectNode t = root.putObject("timingsMs");
    timings.forEach((k, v) -> t.put(k, Math.round(v * 10) / 10.0));
    if (images) {
      ObjectNode img = root.putObject("images");
      img.put("labels", dataUrl(labelPng()));
      if (baseline != null) {
        img.put("unary", dataUrl(LabelMaps.pngBytes(indexed(baseline))));
      }
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every label of the set: id, name, colour, pixels and the fraction of the image it covers. */
  private ArrayNode labelTable(int[] l) {
    long[] count = new long[Math.max(labelSet.size(), palette.length)];
    for (int v : l) {
      count[v]++;
    }
    ArrayNode rows = JSON.createArrayNode();
    for (int i = 0; i < labelSet.size(); i++) {
      ObjectNode r = rows.addObject();
      r.put("id", i);
      r.put("name", labelSet.names().get(i));
      r.put("colour", String.format("#%06X", palette[i] & 0xFFFFFF));
      r.put("pixels", count[i]);
      r.put("area", Math.round(count[i] * 1e6 / l.length) / 1e6);
    }
    return rows;
  }

  private static String dataUrl(byte[] png) {
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
  }

  /** An empty ordered map of timings, filled step by step. */
  static Map<String, Double> newTimings() {
    return new LinkedHashMap<>();
  }
}
