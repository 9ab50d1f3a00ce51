package org.dpn4j.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The one reader of the project's strict JSON files (training configurations, checkpoint states,
 * model configs): duplicate keys, unknown keys, missing keys and wrong types are errors that name
 * the file (when there is one) and the key with its path ({@code dataset.root}), so that a
 * misspelt optional key is never silently ignored.
 */
public final class StrictJson {

  private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private StrictJson() {}

  /** A value that does not fit: the message names the file (if any) and the key. */
  public static final class Invalid extends IOException {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message);
    }
  }

  /** How keys are quoted in messages: {@code 'key'} (run files) or {@code "key"} (model configs). */
  public enum Quote {
    SINGLE('\''),
    DOUBLE('"');

    private final char c;

    Quote(char c) {
      this.c = c;
    }
  }

  /** {@code text} parsed strictly; bad JSON is an error saying so. */
  public static JsonNode parse(String text) throws Invalid {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new Invalid("not valid JSON (" + e.getOriginalMessage() + ")");
    }
  }

  /**
   * The object at the top of {@code file}; {@code missing} says what a missing file is (e.g. "no
   * such configuration file"). Relative paths in it resolve against the file's directory.
   */
  public static Obj read(Path file, String missing) throws IOException {
    String text;
    try {
      text = TextFiles.read(file);
    } catch (NoSuchFileException e) {
      throw new IOException(file + ": " + missing, e);
    }
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IOException(file + ": invalid JSON: " + e.getOriginalMessage(), e);
    }
    return new Obj(root, "", file, file.toAbsolutePath().getParent(), Quote.SINGLE).checkObject("the document");
  }

  /** {@code node} as a top-level object of no file (messages start with the key). */
  public static Obj of(JsonNode node, Quote quote) throws Invalid {
    return new Obj(node, "", null, null, quote).checkObject("the document");
  }

  /**
   * A JSON object being read: every getter names {@code prefix + key} in its error.
   *
   * @param prefix the path of this object's keys, e.g. {@code "dataset."} ("" at the top)
   * @param file the file it came from, or null
   * @param dir the directory relative paths resolve against, or null
   */
  public record Obj(JsonNode node, String prefix, Path file, Path dir, Quote quote) {

    private Obj checkObject(String what) throws Invalid {
      if (node == null || !node.isObject()) {
        throw invalid(what + " must be " + (prefix.isEmpty() ? "a JSON object" : "an object"));
      }
      return this;
    }

    /** An error about this object, with the file first when there is one. */
    public Invalid invalid(String message) {
      return new Invalid(file == null ? message : file + ": " + message);
    }

    /** {@code key} with its path, quoted. */
    public String name(String key) {
      return quote.c + prefix + key + quote.c;
    }

    /** Refuses any key outside {@code known}. */
    public Obj only(Set<String> known) throws Invalid {
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!known.contains(key)) {
          throw invalid("unknown key " + name(key) + " (known: " + new TreeSet<>(known) + ")");
        }
      }
      return this;
    }

    /** {@link #only(Set)} of the given keys. */
    public Obj only(String... known) throws Invalid {
      return only(Set.of(known));
    }

    /** Whether {@code key} is present with a value other than null. */
    public boolean has(String key) {
      JsonNode v = node.get(key);
      return v != null && !v.isNull();
    }

    /** The value of a required key (not null). */
    public JsonNode get(String key) throws Invalid {
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        throw invalid("missing key " + name(key));
      }
      return v;
    }

    /** The object under {@code key}. */
    public Obj object(String key) throws Invalid {
      return new Obj(get(key), prefix + key + ".", file, dir, quote).checkObject(name(key));
    }

    /** The object under {@code key}, or an empty one when the key is absent. */
    public Obj objectOrEmpty(String key) throws Invalid {
      return has(key) ? object(key)
          : new Obj(JsonNodeFactory.instance.objectNode(), prefix + key + ".", file, dir, quote);
    }

    /** A string (may be empty). */
    public String string(String key) throws Invalid {
      return typed(key, JsonNode::isTextual, "a string").textValue();
    }

    /** A non-empty string. */
    public String text(String key) throws Invalid {
      return typed(key, v -> v.isTextual() && !v.asText().isEmpty(), "a non-empty string").asText();
    }

    /** A path, relative to the file's directory. */
    public Path path(String key) throws Invalid {
      String p = text(key);
      return dir == null ? Path.of(p) : dir.resolve(p).normalize();
    }

    /** An integer of any size. */
    public long integer(String key) throws Invalid {
      return integer(key, Long.MIN_VALUE);
    }

    /** An integer {@code >= min}. */
    public long integer(String key, long min) throws Invalid {
      JsonNode v = get(key);
      if (!v.canConvertToExactIntegral() || !v.canConvertToLong() || v.asLong() < min) {
        throw invalid(name(key) + " must be an integer" + (min > Long.MIN_VALUE ? " >= " + min : "") + ", got " + v);
      }
      return v.asLong();
    }

    /** An integer in the range of {@code int}. */
    public int int32(String key) throws Invalid {
      return typed(key, v -> v.canConvertToExactIntegral() && v.canConvertToInt(), "an integer").intValue();
    }

    /** An {@code int} {@code >= min}. */
    public int smallInteger(String key, int min) throws Invalid {
      long v = integer(key, min);
      if (v > Integer.MAX_VALUE) {
        throw invalid(name(key) + " is too large, got " + v);
      }
      return (int) v;
    }

    /** A number. */
    public double number(String key) throws Invalid {
      return typed(key, JsonNode::isNumber, "a number").asDouble();
    }

    /** A finite number {@code > 0}. */
    public double positive(String key) throws Invalid {
      double v = number(key);
      if (!(v > 0) || Double.isInfinite(v)) {
        throw invalid(name(key) + " must be a positive number, got " + v);
      }
      return v;
    }

    /** {@code true} or {@code false}. */
    public boolean bool(String key) throws Invalid {
      return typed(key, JsonNode::isBoolean, "true or false").asBoolean();
    }

    /** The value of {@code key} when {@code ok}, else an error saying it must be {@code what}. */
    private JsonNode typed(String key, Predicate<JsonNode> ok, String what) throws Invalid {
      JsonNode v = get(key);
      if (!ok.test(v)) {
        throw invalid(name(key) + " must be " + what + ", got " + v);
      }
      return v;
    }

    /** An array of numbers. */
    public double[] numbers(String key) throws Invalid {
      JsonNode v = get(key);
      double[] a = new double[v.isArray() ? v.size() : 0];
      for (int i = 0; i < a.length; i++) {
        if (!v.get(i).isNumber()) {
          a = null;
          break;
        }
        a[i] = v.get(i).asDouble();
      }
      if (!v.isArray() || a == null) {
        throw invalid(name(key) + " must be an array of numbers, got " + v);
      }
      return a;
    }

    /** A non-empty array of non-empty strings. */
    public List<String> strings(String key) throws Invalid {
      JsonNode v = get(key);
      List<String> out = new java.util.ArrayList<>();
      if (v.isArray()) {
        for (JsonNode e : v) {
          if (!e.isTextual() || e.asText().isEmpty()) {
            out = null;
            break;
          }
          out.add(e.asText());
        }
      }
      if (!v.isArray() || out == null || out.isEmpty()) {
        throw invalid(name(key) + " must be a non-empty array of non-empty strings, got " + v);
      }
      return out;
    }

    /** An array of numbers, or null where the key holds null (the key itself is required). */
    public double[] numbersOrNull(String key) throws Invalid {
      JsonNode v = node.get(key);
      if (v == null) {
        throw invalid("missing key " + name(key));
      }
      return v.isNull() ? null : numbers(key);
    }

    /** The keys present, in file order. */
    public List<String> keys() {
      List<String> keys = new java.util.ArrayList<>();
      node.fieldNames().forEachRemaining(keys::add);
      return keys;
    }
  }
}
