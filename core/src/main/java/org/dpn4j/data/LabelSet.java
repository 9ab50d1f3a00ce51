package org.dpn4j.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.dpn4j.io.AtomicFiles;
import org.dpn4j.io.LabelMaps;
import org.dpn4j.io.TextFiles;

/**
 * The classes of a dataset: their names, display colours (0xRRGGBB) and the ignore value of its
 * label maps (pixels with that value are left out of the loss and the metrics, DESIGN.md 3-4).
 * Classes are the labels 0..n-1; the ignore value lies outside that range and fits an 8-bit PNG.
 *
 * <p>As JSON ({@link #read}, {@link #write}, what {@code dpn init --labels FILE} takes):
 *
 * <pre>{@code
 * {
 *   "names":   ["Sky", "Building", ...],        // required, one per class, label = position
 *   "colours": ["#808080", "#800000", ...],     // optional "#RRGGBB", one per class;
 *                                               //   absent: the PASCAL VOC colour map
 *   "ignore":  11                               // required, in [n, 255]
 * }
 * }</pre>
 *
 * Unknown keys are errors, so a misspelt key does not pass silently.
 */
public record LabelSet(List<String> names, int[] colours, int ignore) {

  /** CamVid as SegNet prepared it: 11 classes, void = 11, the SegNet tutorial's colours. */
  public static final LabelSet CAMVID =
      new LabelSet(
          List.of(
              "Sky", "Building", "Pole", "Road", "Pavement", "Tree", "SignSymbol", "Fence", "Car",
              "Pedestrian", "Bicyclist"),
          new int[] {
            0x808080, 0x800000, 0xC0C080, 0x804080, 0x3C28DE, 0x808000, 0xC08080, 0x404080,
            0x400080, 0x404000, 0x0080C0
          },
          11);

  /** PASCAL VOC 2012: background and 20 object classes, void = 255, the VOC colour map. */
  public static final LabelSet VOC =
      new LabelSet(
          List.of(
              "background", "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat",
              "chair", "cow", "diningtable", "dog", "horse", "motorbike", "person", "pottedplant",
              "sheep", "sofa", "train", "tvmonitor"),
          LabelMaps.vocPalette(21),
          255);

  /** Cityscapes' 19 evaluation classes (the train ids), ignore = 255, the official colours. */
  public static final LabelSet CITYSCAPES =
      new LabelSet(
          List.of(
              "road", "sidewalk", "building", "wall", "fence", "pole", "traffic light",
              "traffic sign", "vegetation", "terrain", "sky", "person", "rider", "car", "truck",
              "bus", "train", "motorcycle", "bicycle"),
          new int[] {
            0x804080, 0xF423E8, 0x464646, 0x66669C, 0xBE9999, 0x999999, 0xFAAA1E, 0xDCDC00,
            0x6B8E23, 0x98FB98, 0x4682B4, 0xDC143C, 0xFF0000, 0x00008E, 0x000046, 0x003C64,
            0x005064, 0x0000E6, 0x770B20
          },
          255);

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  public LabelSet {
    names = List.copyOf(names);
    colours = colours.clone();
    int n = names.size();
    if (n < 1 || n > 255) {
      throw new IllegalArgumentException("a label set needs 1..255 classes, got " + n);
    }
    if (colours.length != n) {
      throw new IllegalArgumentException(n + " class names but " + colours.length + " colours");
    }
    for (int c : colours) {
      if ((c & ~0xFFFFFF) != 0) {
        throw new IllegalArgumentException(String.format("colour 0x%X is not 0xRRGGBB", c));
      }
    }
    if (ignore < n || ignore > 255) {
      throw new IllegalArgumentException(
          "ignore value " + ignore + " must lie in [" + n + ", 255]: outside the classes 0.." + (n - 1)
              + " and inside an 8-bit label PNG");
    }
  }

  /** Number of classes. */
  public int size() {
    return names.size();
  }

  @Override
  public int[] colours() {
    return colours.clone();
  }

  /** The colours indexed by label, the ignore value black: a palette for label PNGs. */
  public int[] palette() {
    return Arrays.copyOf(colours, ignore + 1);
  }

  /** A built-in set by name: {@code camvid}, {@code voc} or {@code cityscapes}. */
  public static LabelSet builtIn(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "camvid" -> CAMVID;
      case "voc" -> VOC;
      case "cityscapes" -> CITYSCAPES;
      default -> throw new IllegalArgumentException(
          "no built-in label set '" + name + "': use camvid, voc, cityscapes or a LABELS.json file");
    };
  }

  /** A built-in set's name, otherwise a JSON file's path (what {@code --labels} takes). */
  public static LabelSet resolve(String nameOrFile) throws IOException {
    boolean builtIn = List.of("camvid", "voc", "cityscapes").contains(nameOrFile.toLowerCase(Locale.ROOT));
    return builtIn ? builtIn(nameOrFile) : read(Path.of(nameOrFile));
  }

  /** Reads the JSON form; any problem is an error naming the file. */
  public static LabelSet read(Path file) throws IOException {
    String text;
    try {
      text = TextFiles.read(file);
    } catch (NoSuchFileException e) {
      throw new IOException(file + ": no such labels file", e);
    }
    try {
      return fromJson(text);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  /** Writes the JSON form atomically. */
  public void write(Path file) throws IOException {
    AtomicFiles.write(file, toJson().getBytes(StandardCharsets.UTF_8));
  }

  /** The JSON form, pretty-printed. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode n = root.putArray("names");
    names.forEach(n::add);
    ArrayNode c = root.putArray("colours");
    for (int col : colours) {
      c.add(String.format("#%06X", col));
    }
    root.put("ignore", ignore);
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses the JSON form; a malformed document is an {@link IllegalArgumentException}. */
  public static LabelSet fromJson(String text) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON (" + e.getOriginalMessage() + ")", e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("expected a JSON object with names, colours, ignore");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!List.of("names", "colours", "ignore").contains(key)) {
        throw new IllegalArgumentException(
            "unknown key \"" + key + "\" (expected names, colours, ignore)");
      }
    }
    List<String> names = new ArrayList<>();
    for (JsonNode v : array(root, "names")) {
      if (!v.isTextual()) {
        throw new IllegalArgumentException("\"names\" must hold strings, got " + v);
      }
      names.add(v.asText());
    }
    JsonNode ignore = root.get("ignore");
    if (ignore == null || !ignore.canConvertToExactIntegral() || !ignore.canConvertToInt()) {
      throw new IllegalArgumentException("\"ignore\" must be an integer, got " + ignore);
    }
    int[] colours =
        root.has("colours") ? parseColours(array(root, "colours")) : LabelMaps.vocPalette(names.size());
    return new LabelSet(names, colours, ignore.intValue());
  }

  private static JsonNode array(JsonNode root, String key) {
    JsonNode a = root.get(key);
    if (a == null || !a.isArray()) {
      throw new IllegalArgumentException("\"" + key + "\" must be an array, got " + a);
    }
    return a;
  }

  private static int[] parseColours(JsonNode a) {
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      String s = a.get(i).asText("");
      if (!a.get(i).isTextual() || !s.matches("#[0-9A-Fa-f]{6}")) {
        throw new IllegalArgumentException("colour " + a.get(i) + " is not \"#RRGGBB\"");
      }
      out[i] = Integer.parseInt(s.substring(1), 16);
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelSet s
        && names.equals(s.names)
        && Arrays.equals(colours, s.colours)
        && ignore == s.ignore;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * names.hashCode() + Arrays.hashCode(colours)) + ignore;
  }

  @Override
  public String toString() {
    return "LabelSet[" + names.size() + " classes, ignore " + ignore + "]";
  }
}
