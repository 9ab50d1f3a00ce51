package org.dpn4j.video;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.dpn4j.io.Images;
import org.dpn4j.util.FileNames;

/** A sequence of image files in a given order; each frame is named by its file's stem. */
public final class FileSequence implements FrameSequence {

  private final String name;
  private final List<Path> files;
  private int next;

  public FileSequence(String name, List<Path> files) {
    this.name = name;
    this.files = List.copyOf(files);
  }

  /**
   * The image files of a folder (PNG, JPEG, BMP, GIF by extension, case-insensitive) in name order,
   * as one sequence named after the folder; a missing or frameless folder is an error naming it.
   */
  public static FileSequence folder(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + ": no such folder of frames");
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(Files::isRegularFile).filter(FileSequence::isImageName).sorted().toList();
    }
    if (files.isEmpty()) {
      throw new IOException(dir + ": no frames (PNG, JPEG, BMP or GIF files) in the folder");
    }
    return new FileSequence(String.valueOf(dir.getFileName()), files);
  }

  static boolean isImageName(Path p) {
    String n = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".bmp") || n.endsWith(".gif");
  }

  /** The files in order. */
  public List<Path> files() {
    return files;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Frame next() throws IOException {
    if (next == files.size()) {
      return null;
    }
    Path file = files.get(next++);
    return new Frame(FileNames.stem(file), Images.readRgb(file));
  }
}
