package org.dpn4j.video;

import java.io.Closeable;
import java.io.IOException;

/**
 * The frames of one sequence in time order, read one at a time (a video is decoded as it goes): the
 * neighbours t-1 and t+1 of a frame are the frames before and after it here, missing at the ends.
 */
public interface FrameSequence extends Closeable {

  /** The sequence's name, for messages. */
  String name();

  /** The next frame, or null after the last; an unreadable frame is an error naming it. */
  Frame next() throws IOException;

  @Override
  default void close() throws IOException {}
}
