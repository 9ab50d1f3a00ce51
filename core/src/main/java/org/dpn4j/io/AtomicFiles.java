package org.dpn4j.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes files so that a reader never sees a half-written one and a crash never destroys the old
 * file: the bytes go to a hidden temporary file in the same directory, are forced to disk, and the
 * file is then renamed over the target.
 */
public final class AtomicFiles {

  private static final long PID = ProcessHandle.current().pid();

  /** The names of {@link #tempFile}: group 1 is the writer's process id. */
  private static final Pattern TEMP = Pattern.compile("\\..+\\.(\\d{1,18})\\.[0-9a-f]+\\.tmp");

  /** The folders that {@link #cleanStale} has already looked at in this process. */
  private static final Set<Path> CLEANED = ConcurrentHashMap.newKeySet();

  private AtomicFiles() {}

  /** Something that writes a file's content to a channel. */
  @FunctionalInterface
  public interface ChannelWriter {
    void writeTo(FileChannel out) throws IOException;
  }

  /** Something that writes a file's content to a stream. */
  @FunctionalInterface
  public interface StreamWriter {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Writes the concatenation of {@code parts} to {@code file} atomically. */
  public static void write(Path file, byte[]... parts) throws IOException {
    write(
        file,
        (FileChannel ch) -> {
          for (byte[] p : parts) {
            writeFully(ch, ByteBuffer.wrap(p));
          }
        });
  }

  /** Writes what {@code writer} produces on a buffered stream to {@code file} atomically. */
  public static void writeStream(Path file, StreamWriter writer) throws IOException {
    write(
        file,
        (FileChannel ch) -> {
          // Not closed here: closing would close the channel before it is forced to disk.
          OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
          writer.writeTo(out);
          out.flush();
        });
  }

  /**
   * Writes what {@code writer} puts on the channel to {@code file} atomically. A failure (disk
   * full, permission, read-only, a file where a folder is expected) is an {@link OutputException}
   * naming {@code file} and the cause; the temporary file is removed.
   */
  public static void write(Path file, ChannelWriter writer) throws IOException {
    Path abs = file.toAbsolutePath();
    Path dir = abs.getParent();
    createFolder(dir);
    Path tmp = tempFile(abs);
    try {
      // Not Files.createTempFile: its owner-only permissions would stick to the renamed file.
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
        writer.writeTo(ch);
        ch.force(true);
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (OutputException e) {
      throw e;
    } catch (IOException e) {
      throw new OutputException(file, e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  /** Creates {@code dir} and its parents; a failure is an {@link OutputException} naming it and the cause. */
  public static void createFolder(Path dir) throws OutputException {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new OutputException(dir, e);
    }
    cleanStale(dir);
  }

  /**
   * A new temporary name beside {@code target}: {@code .NAME.PID.HEX.tmp}. The process id lets a
   * later run remove what a killed one left ({@link #cleanStale}).
   */
  public static Path tempFile(Path target) {
    Path abs = target.toAbsolutePath();
    return abs.resolveSibling("." + abs.getFileName() + "." + PID + "." + Long.toHexString(System.nanoTime()) + ".tmp");
  }

  /**
   * Removes, once per folder and process, the temporary files of {@link #tempFile} that a process
   * no longer running left in {@code dir} (killed, or out of power, while writing).
   */
  static void cleanStale(Path dir) {
    if (!CLEANED.add(dir.toAbsolutePath().normalize())) {
      return;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, ".*.tmp")) {
      for (Path p : s) {
        Matcher m = TEMP.matcher(p.getFileName().toString());
        if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty() && Files.isRegularFile(p)) {
          deleteQuietly(p);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Cleaning is a courtesy: an unreadable folder fails on the write itself, with its cause.
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // The failure that matters is the write's; a read-only folder cannot hold the temporary file anyway.
    }
  }

  /** Writes all remaining bytes of {@code b}. */
  public static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }
}
