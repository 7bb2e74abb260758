package org.consultscore.cli;

import picocli.CommandLine;

/** Reads the version from the jar manifest; "development" when run from classes. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = ConsultScoreCli.class.getPackage().getImplementationVersion();
    return new String[] {"ConsultScore " + (version == null ? "development" : version)};
  }
}
