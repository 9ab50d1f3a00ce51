/**
 * Video for the spatio-temporal DPN (DESIGN.md section 1, "Spatio-temporal DPN"; Sec. 3 of the
 * paper): dense optical flow {@link org.dpn4j.value.Flow} between frames by OpenCV ({@link
 * org.dpn4j.video.FlowMethod}: DIS presets and Farneback; {@link org.dpn4j.video.OpenCv} loads the
 * native library from the org.openpnp:opencv jar), and the dynamic node linking {@link
 * org.dpn4j.video.NodeLinks}: the forward-backward check and the bilinear warping of a neighbouring
 * frame's maps (q or colours) into frame t. The spatio-temporal head for frame t: the 3D b12
 * {@link org.dpn4j.head.TriplePenalty3d}, the 3D b13 {@link org.dpn4j.head.LabelContexts3d}, and
 * {@link org.dpn4j.head.DpnHead3d} chaining them with b14 and b15 (docs/HEAD.md). Sequences of
 * frames ({@link org.dpn4j.video.FrameSequence}: a folder, CamVid's sequences {@link
 * org.dpn4j.video.CamVidSequences}, a Motion-JPEG AVI {@link org.dpn4j.video.VideoFileSequence}) are
 * segmented by {@link org.dpn4j.model.VideoSegmenter}, and {@link
 * org.dpn4j.video.TemporalConsistency} measures how often labels change along the flow.
 *
 * <p>Choices where DESIGN.md is silent:
 *
 * <ul>
 *   <li>Flow is computed on 8-bit BT.601 luma (OpenCV's RGB2GRAY weights), since DIS and Farneback
 *       take one channel.
 *   <li>"Leaves the frame" means j + F(j) outside [0, w-1] x [0, h-1], so that every bilinear sample
 *       uses pixels of the frame only.
 *   <li>Dropped links give 0 in the warped maps (the link's contribution is 0).
 * </ul>
 */
package org.dpn4j.video;
