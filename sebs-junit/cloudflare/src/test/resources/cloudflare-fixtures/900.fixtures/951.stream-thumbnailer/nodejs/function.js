// Test fixture, written for sebs-junit in the style of the thumbnailers found in SeBS-style benchmark folders:
// sloppy-mode assignments to undeclared names, a comma-separated require list, and the image streamed from storage
// through sharp().resize(w, h).png() straight into the upload stream.
var sharp = require('sharp'),
    path = require('path'),
    storage = require('./storage');

var objects = new storage.storage();

exports.handler = async function (event) {
  target_bucket = event.bucket.bucket
  source_dir = event.bucket.input
  thumbs_dir = event.bucket.output
  box_width = event.object.width
  box_height = event.object.height
  var name = event.object.key;
  var dot = name.lastIndexOf('.');
  var pngName = (dot < 0 ? name : name.slice(0, dot)) + '.png';

  var resizer = sharp().resize(box_width, box_height).png();
  var download = objects.downloadStream(target_bucket, path.join(source_dir, name));
  var [upload, done, storedName] = objects.uploadStream(target_bucket, path.join(thumbs_dir, pngName));
  download.then(function (stream) {
    stream.pipe(resizer).pipe(upload);
  });
  await done;
  return { result: { bucket: thumbs_dir, key: storedName } };
};
