package org.dpn4j.util;

import java.nio.file.Path;

/** File-name helpers shared by the readers and the commands. */
public final class FileNames {

  private FileNames() {}

  /** The file name without its extension ("a/b/frame_01.png" -> "frame_01"; ".hidden" stays). */
  public static String stem(Path p) {
    String f = p.getFileName().toString();
    int dot = f.lastIndexOf('.');
    return dot > 0 ? f.substring(0, dot) : f;
  }
}
