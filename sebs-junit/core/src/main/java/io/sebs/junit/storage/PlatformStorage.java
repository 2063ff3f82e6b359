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
   * The platform's Redis server ({@code redis://host:port}), started or connected on first use; for
   * functions whose config.json lists the module {@code redis}.
   *
   * @throws UnsupportedOperationException on platforms without one
   */
  default java.net.URI redis() {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " offers no Redis server; the module "
        + "\"redis\" is supported on the local platform");
  }

  /**
   * Endpoints and credentials, for clients and for function instances: of the services in use, i.e.
   * after {@link #objectStorage()}, {@link #noSqlStorage()} or {@link #redis()} was called.
   */
  StorageEndpoints endpoints();

  @Override
  void close();
}
