package org.dpn4j.io;

import java.awt.image.BufferedImage;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.FileImageOutputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * An animated GIF written frame by frame with ImageIO's GIF writer: each frame carries a Graphic
 * Control Extension with the delay, and the first the NETSCAPE2.0 application extension that makes
 * viewers loop forever. RGB frames are reduced to a 256-colour palette by the writer. The file
 * appears only on {@link #finish()} (written to a hidden temporary file and renamed); closing an
 * unfinished one deletes the temporary file.
 */
public final class AnimatedGif implements Closeable {

  private static final String FORMAT = "javax_imageio_gif_image_1.0";

  private final Path file;
  private final Path temp;
  private final int delayCentis;
  private final ImageWriter writer;
  private final ImageOutputStream out;
  private int frames;
  private boolean finished;

  /** Starts {@code file} with {@code delayMillis} between frames (GIF keeps hundredths of a second). */
  public AnimatedGif(Path file, int delayMillis) throws IOException {
    this.file = file;
    AtomicFiles.createFolder(file.toAbsolutePath().getParent());
    this.temp = AtomicFiles.tempFile(file);
    this.delayCentis = Math.max(1, Math.round(delayMillis / 10f));
    this.writer = ImageIO.getImageWritersByFormatName("gif").next();
    try {
      this.out = new FileImageOutputStream(temp.toFile());
      writer.setOutput(out);
      writer.prepareWriteSequence(null);
    } catch (IOException e) {
      writer.dispose();
      Files.deleteIfExists(temp);
      throw new OutputException(file, e);
    }
  }

  /** Appends a frame. */
  public void add(BufferedImage img) throws IOException {
    IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), null);
    IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(FORMAT);
    IIOMetadataNode control = child(root, "GraphicControlExtension");
    control.setAttribute("disposalMethod", "none");
    control.setAttribute("userInputFlag", "FALSE");
    control.setAttribute("transparentColorFlag", "FALSE");
    control.setAttribute("delayTime", Integer.toString(delayCentis));
    control.setAttribute("transparentColorIndex", "0");
    if (frames == 0) {
      IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
      app.setAttribute("applicationID", "NETSCAPE");
      app.setAttribute("authenticationCode", "2.0");
      // Sub-block 1, loop count 0 (little-endian): loop forever.
      app.setUserObject(new byte[] {1, 0, 0});
      child(root, "ApplicationExtensions").appendChild(app);
    }
    meta.setFromTree(FORMAT, root);
    try {
      writer.writeToSequence(new IIOImage(img, null, meta), null);
    } catch (IOException e) {
      throw new OutputException(file, e);
    }
    frames++;
  }

  private static IIOMetadataNode child(IIOMetadataNode root, String name) {
    for (int i = 0; i < root.getLength(); i++) {
      if (root.item(i).getNodeName().equals(name)) {
        return (IIOMetadataNode) root.item(i);
      }
    }
    IIOMetadataNode node = new IIOMetadataNode(name);
    root.appendChild(node);
    return node;
  }

  /** Ends the sequence and puts the file in place; at least one frame is needed. */
  public void finish() throws IOException {
    if (frames == 0) {
      throw new IOException(file + ": an animated GIF needs at least one frame");
    }
    try {
      writer.endWriteSequence();
      out.close();
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new OutputException(file, e);
    }
    finished = true;
  }

  @Override
  public void close() throws IOException {
    writer.dispose();
    if (!finished) {
      try {
        out.close();
      } finally {
        Files.deleteIfExists(temp);
      }
    }
  }
}
