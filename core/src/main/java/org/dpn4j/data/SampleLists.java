package org.dpn4j.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
