package org.dpn4j.io;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Text files (JSON configurations, label sets, checkpoint states) read as UTF-8. */
public final class TextFiles {

  private TextFiles() {}

  /**
   * The file's text. Bytes that are not UTF-8 (a binary or damaged file) are an error naming the
   * file, not the JDK's bare "Input length = 1"; a missing file stays a {@link java.nio.file.NoSuchFileException}.
   */
  public static String read(Path file) throws IOException {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      throw new IOException(file + ": not UTF-8 text (a binary or damaged file?)", e);
    }
  }
}
