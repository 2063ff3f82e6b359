package io.sebs.junit.storage;

import io.sebs.junit.NoSqlStorage;
import io.sebs.junit.ObjectStorage;

/**
 * A platform's storage services, started or connected on first use: object storage, NoSQL tables, and
 * the endpoints function instances are given. Closing it stops what the platform started for the run.
 */
public interface PlatformStorage extends AutoCloseable {

  ObjectStorage objectStorage();

  NoSqlStorage noSqlStorage();

  /**
   * Endpoints and credentials, for clients and for function instances: of the services in use, i.e.
   * after {@link #objectStorage()} or {@link #noSqlStorage()} was called.
   */
  StorageEndpoints endpoints();

  @Override
  void close();
}
