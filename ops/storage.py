"""Media on S3-compatible object storage: what guests see is public, what couples upload is not."""

from storages.backends.s3 import S3Storage

# Wagtail keeps uploads under these prefixes: original photos (which may carry the camera's location) and
# documents. Renditions (`images/`) are the only files a page ever links to.
PRIVATE_PREFIXES = ("original_images/", "documents/")
PRIVATE_LINK_SECONDS = 10 * 60


class MediaStorage(S3Storage):
    """Renditions at the public (CDN) address; originals and documents only through signed links that expire.

    The bucket policy in site/README.md lets anyone read `images/` and nothing else, so an original's plain
    address answers 403 even to someone who guessed it.
    """

    def url(self, name, parameters=None, expire=None, http_method=None):
        if not name.startswith(PRIVATE_PREFIXES):
            return super().url(name, parameters, expire, http_method)
        return self.connection.meta.client.generate_presigned_url(
            "get_object",
            Params={**(parameters or {}), "Bucket": self.bucket_name, "Key": name},
            ExpiresIn=expire or PRIVATE_LINK_SECONDS,
            HttpMethod=http_method,
        )

    def get_object_parameters(self, name):
        parameters = super().get_object_parameters(name)
        if name.startswith(PRIVATE_PREFIXES):
            parameters["CacheControl"] = "private, no-store"
        return parameters
