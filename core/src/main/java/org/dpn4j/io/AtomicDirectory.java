package org.dpn4j.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A directory replaced as a whole, so that a reader never sees a mixture of two versions (a
 * training checkpoint): the new content goes into a hidden sibling {@code .NAME.HEX.tmp}, which then
 * replaces {@code NAME} by renames (the old one moved aside to {@code .NAME.old} first, deleted
 * last). Should the process die between the two renames, {@link #readable} finds the aside copy;
 * should it die while writing, the next {@link #replace} or {@link #readable} removes the
 * leftover temporary directory.
 */
public final class AtomicDirectory {

  private AtomicDirectory() {}

  /** Writes the content of a directory; may throw. */
  @FunctionalInterface
  public interface Writer {
    void write(Path dir) throws IOException;
  }

  /** Makes {@code dir} hold exactly what {@code writer} writes, atomically for a reader. */
  public static void replace(Path dir, Writer writer) throws IOException {
    Path target = dir.toAbsolutePath();
    Path parent = target.getParent();
    Files.createDirectories(parent);
    removeLeftovers(target);
    Path tmp = parent.resolve("." + target.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
    Path aside = aside(target);
    try {
      Files.createDirectory(tmp);
      writer.write(tmp);
      if (Files.exists(target)) {
        // Without a target, an aside copy is the last good version: it stays until the new one is in.
        deleteTree(aside);
        move(target, aside);
      }
      move(tmp, target);
      deleteTree(aside);
    } finally {
      deleteTree(tmp);
    }
  }

  /**
   * {@code dir}, or its aside copy when a crash came between {@link #replace}'s renames; leftover
   * temporary directories of a write that was killed are removed.
   */
  public static Path readable(Path dir) throws IOException {
    Path target = dir.toAbsolutePath();
    if (target.getParent() != null && Files.isDirectory(target.getParent())) {
      removeLeftovers(target);
    }
    Path aside = aside(target);
    return !Files.exists(dir) && Files.isDirectory(aside) ? aside : dir;
  }

  /** Removes {@code .NAME.*.tmp} siblings of {@code target}: writes that never finished. */
  static void removeLeftovers(Path target) throws IOException {
    String prefix = "." + target.getFileName() + ".";
    try (DirectoryStream<Path> s = Files.newDirectoryStream(target.getParent(), prefix + "*.tmp")) {
      for (Path p : s) {
        if (Files.isDirectory(p) && p.getFileName().toString().startsWith(prefix)) {
          deleteTree(p);
        }
      }
    }
  }

  private static Path aside(Path target) {
    return target.resolveSibling("." + target.getFileName() + ".old");
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  /** Deletes {@code p} and everything under it, if it exists. */
  public static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }
}
