package org.dpn4j.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dpn4j.util.FileNames;

/** Reading split list files (one entry per line) shared by the dataset readers. */
final class SampleLists {

  private SampleLists() {}

  /**
   * The entries of a list file, one per non-blank line, each split on white space; a missing list
   * is an error naming it.
   */
  static List<String[]> read(Path list) throws IOException {
    if (!Files.isRegularFile(list)) {
      throw new IOException(list + ": no such split list");
    }
    List<String[]> out = new ArrayList<>();
    for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
      String t = line.strip();
      if (!t.isEmpty()) {
        out.add(t.split("\\s+"));
      }
    }
    if (out.isEmpty()) {
      throw new IOException(list + ": the split list is empty");
    }
    return out;
  }

  /** Makes an entry's sample, or null when the entry has the wrong number of fields. */
  @FunctionalInterface
  interface Entry {
    Sample sample(String[] fields) throws IOException;
  }

  /**
   * The samples of the entries of {@code list} ({@link #read}), in order, each made by {@code
   * entry}; an entry it refuses (null) is an error naming the list, the expected {@code form} and the
   * entry.
   */
  static List<Sample> samples(Path list, String form, Entry entry) throws IOException {
    List<Sample> out = new ArrayList<>();
    for (String[] e : read(list)) {
      Sample s = entry.sample(e);
      if (s == null) {
        throw new IOException(list + ": expected " + form + " per line, got '" + String.join(" ", e) + "'");
      }
      out.add(s);
    }
    return out;
  }

  /**
   * The sample of an "IMAGE LABEL" entry of two paths, each resolved by {@link #underRoot}, named by
   * the image's file name without its extension.
   */
  static Sample pair(Path root, String[] entry, Path list) throws IOException {
    Path image = underRoot(root, entry[0], list);
    return new Sample(image, underRoot(root, entry[1], list), FileNames.stem(image));
  }

  /**
   * An entry written as an absolute path of another machine ({@code /SegNet/CamVid/train/X.png})
   * resolved by its last two components under {@code root} ({@code root/train/X.png}).
   */
  static Path underRoot(Path root, String entry, Path list) throws IOException {
    String[] parts = entry.replace('\\', '/').split("/+");
    int n = parts.length;
    if (n < 2 || parts[n - 2].isEmpty() || parts[n - 1].isEmpty()) {
      throw new IOException(list + ": entry '" + entry + "' needs a folder and a file name");
    }
    return root.resolve(parts[n - 2]).resolve(parts[n - 1]);
  }
}
