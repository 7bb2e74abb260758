package org.consultscore.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.consultscore.SampleConfig;
import org.consultscore.publish.Publisher;
import org.junit.jupiter.api.Test;

/** Inputs and outputs given as URIs stay URIs; only scheme-less paths become local paths. */
class StoragePathsTest {
  private static final List<String> URIS = List.of(
      "file:///data/consultscore/sessions.csv",
      "hdfs:///data/consultscore/sessions/",
      "hdfs://namenode:8020/data/consultscore/sessions/",
      "s3a://example-bucket/consultscore/input/sessions/",
      "abfss://input@exampleaccount.dfs.core.windows.net/consultscore/sessions/",
      "gs://example-bucket/consultscore/sessions/");

  @Test
  void uriInputsAreKeptAsWritten() {
    for (String uri : URIS) {
      assertEquals(uri, ConfigLoader.resolveInputPath(uri));
    }
  }

  @Test
  void relativePathResolvesToWorkingDirectory() {
    String resolved = ConfigLoader.resolveInputPath("data-samples/sessions.csv");
    assertEquals(Path.of("data-samples/sessions.csv").toAbsolutePath().normalize().toString(), resolved);
  }

  @Test
  void clusterExampleKeepsObjectStoreUris() {
    AppConfig config = ConfigLoader.load(SampleConfig.projectDir().resolve("conf/examples/cluster.conf"));
    assertEquals("s3a://example-bucket/consultscore/warehouse", config.outputPath());
    assertEquals("s3a://example-bucket/consultscore/warehouse/_scratch", config.scratchPath());
    for (SourceConfig source : config.sources().values()) {
      assertTrue(source.path().startsWith("s3a://example-bucket/"), source.name() + ": " + source.path());
    }
  }

  @Test
  void publisherLocationsUnderUriRoot() {
    Publisher publisher = new Publisher(null, "abfss://out@exampleaccount.dfs.core.windows.net/consultscore/", "db");
    assertEquals("abfss://out@exampleaccount.dfs.core.windows.net/consultscore/consultant_scores",
        publisher.location("consultant_scores"));
  }
}
