package org.dpn4j.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * A result that could not be written: a failure while running (disk full, permission, read-only
 * file system, a file where a folder is expected), not bad input. The message names the file the
 * user asked for (never a temporary file) and the cause.
 */
public final class OutputException extends IOException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;

  /** {@code file} could not be written because of {@code cause}. */
  public OutputException(Path file, IOException cause) {
    super(file + ": cannot write it (" + reason(cause) + ")", cause);
    this.file = file;
  }

  /** The file or folder that could not be written. */
  public Path file() {
    return file;
  }

  /** What went wrong, in words, without the temporary file names that the JDK's messages carry. */
  public static String reason(IOException e) {
    if (e instanceof OutputException o) {
      return reason((IOException) o.getCause());
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileAlreadyExistsException f) {
      return f.getFile() + " exists and is not a folder";
    }
    if (e instanceof NotDirectoryException f) {
      return f.getFile() + " is not a folder";
    }
    if (e instanceof NoSuchFileException f) {
      return "no such file or folder: " + f.getFile();
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return rootMessage(e);
  }

  /** The innermost message of a chain (ImageIO wraps "No space left on device" in "I/O error writing PNG file!"). */
  private static String rootMessage(Throwable e) {
    Throwable t = e;
    String message = e.getMessage();
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
      if (t instanceof IOException io && !(t instanceof OutputException) && io != e) {
        return reason(io);
      }
      message = t.getMessage() != null ? t.getMessage() : message;
    }
    return message != null ? message : e.getClass().getSimpleName();
  }
}
