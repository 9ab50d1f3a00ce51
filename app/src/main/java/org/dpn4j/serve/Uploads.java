package org.dpn4j.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dpn4j.io.Images;

/**
 * Uploaded bytes read by the library's file readers ({@code Images.read}, {@code ProbabilityFile}),
 * the ones the command line uses, so an upload is decoded exactly as the same file given to
 * {@code dpn segment} or {@code dpn refine}: through a temporary file, removed afterwards. Their
 * refusals become a 400 that names the upload instead of the temporary file.
 */
final class Uploads {

  private Uploads() {}

  /** A library reader of a file. */
  @FunctionalInterface
  interface FileReader<T> {
    T read(Path file) throws IOException;
  }

  /**
   * Reads {@code bytes} with {@code reader} from a temporary file named {@code *suffix}; an error
   * is a 400 whose message says {@code shownAs} where the reader named the file.
   */
  static <T> T read(byte[] bytes, String suffix, String shownAs, FileReader<T> reader) {
    Path tmp = null;
    try {
      tmp = Files.createTempFile("dpn-serve-", suffix);
      Files.write(tmp, bytes);
      return reader.read(tmp);
    } catch (IOException | IllegalArgumentException e) {
      String m = String.valueOf(e.getMessage());
      if (e instanceof Images.ImageTooLargeException) {
        throw ApiError.tooLarge(m.replace(tmp.toString(), shownAs));
      }
      throw ApiError.badRequest(tmp == null ? shownAs + ": " + m : m.replace(tmp.toString(), shownAs));
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException e) {
          // Left to the system's cleaning of its temporary folder.
        }
      }
    }
  }
}
