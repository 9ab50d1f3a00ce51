/**
 * Training and evaluation data: dataset readers ({@link org.dpn4j.data.VocDataset},
 * {@link org.dpn4j.data.CityscapesDataset}, {@link org.dpn4j.data.CamVidDataset},
 * {@link org.dpn4j.data.FolderDataset}; {@link org.dpn4j.data.Datasets} opens one by name or
 * layout), class descriptions ({@link org.dpn4j.data.LabelSet}, with its JSON form), the paired
 * training augmentation of DESIGN.md section 3 ({@link org.dpn4j.data.Augmentation},
 * {@link org.dpn4j.data.Normalisation}) with optional photometric changes ({@link
 * org.dpn4j.data.Photometric}), frames chosen by sequence ({@link org.dpn4j.data.SequenceSelection}),
 * a background loader ({@link org.dpn4j.data.SampleLoader})
 * and median frequency class weights ({@link org.dpn4j.data.MedianFrequency}).
 */
package org.dpn4j.data;
