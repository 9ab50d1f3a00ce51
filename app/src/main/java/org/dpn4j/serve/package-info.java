/**
 * {@code dpn serve}: segmentation and refinement over HTTP (Javalin on Jetty 12) and a web page.
 * Above the library (core), beside the command line: the {@code cli} package's thin command starts
 * a {@link org.dpn4j.serve.DpnServer}; nothing here imports {@code cli}. docs/SERVE.md documents the API.
 */
package org.dpn4j.serve;
