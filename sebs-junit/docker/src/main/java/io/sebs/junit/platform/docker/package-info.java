/**
 * The {@code docker} platform (SeBS's local mode): start with
 * {@link io.sebs.junit.platform.docker.DockerPlatform}. Each function instance is a container
 * ({@code ContainerInstance}) of a per-language base image ({@code BaseImages}, built by
 * {@code .ci/docker-setup} without a registry) pooled by the local platform's rules; packages are built
 * once per code hash with Python dependencies installed inside the image ({@code DockerPackageBuilder});
 * {@link io.sebs.junit.platform.docker.DockerEngine} connects and explains a missing engine;
 * {@link io.sebs.junit.platform.docker.DockerResources} lists and removes labelled containers.
 */
package io.sebs.junit.platform.docker;
