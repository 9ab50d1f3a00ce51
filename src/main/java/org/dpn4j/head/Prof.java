package org.dpn4j.head;
final class Prof { static long cpu() { return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime(); } }
