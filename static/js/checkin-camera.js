// The check-in desk's camera: read a badge's QR code with the device camera (jsQR, vendored: Chromium
// on Linux has no built-in barcode detector) and submit it through the search box, as a scanner would.
(function () {
  "use strict";
  var input = document.getElementById("checkin-q");
  var form = input && input.form;
  var holder = document.getElementById("checkin-camera");
  if (!form || !holder || !window.jsQR || !(navigator.mediaDevices && navigator.mediaDevices.getUserMedia)) { return; }
  var PREFIX = "MIPCHK-";
  var button = document.createElement("button");
  button.type = "button";
  button.className = "button secondary";
  button.textContent = "Scan a badge with the camera";
  var status = document.createElement("p");
  status.setAttribute("role", "status");
  var video = document.createElement("video");
  video.setAttribute("playsinline", "");
  video.muted = true;
  video.hidden = true;
  video.className = "checkin-video";
  var canvas = document.createElement("canvas");
  var stream = null;
  holder.appendChild(button);
  holder.appendChild(status);
  holder.appendChild(video);

  function stop() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
    stream = null;
    video.hidden = true;
    button.textContent = "Scan a badge with the camera";
  }

  function look() {
    if (!stream) { return; }
    if (video.readyState >= video.HAVE_ENOUGH_DATA && video.videoWidth) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      var context = canvas.getContext("2d", { willReadFrequently: true });
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var found = window.jsQR(context.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height,
                              { inversionAttempts: "dontInvert" });
      if (found && found.data.lastIndexOf(PREFIX, 0) === 0) {
        stop();
        status.textContent = "Badge read: checking in…";
        input.value = found.data;
        form.submit();
        return;
      }
    }
    window.requestAnimationFrame(look);
  }

  button.addEventListener("click", function () {
    if (stream) { stop(); status.textContent = "Camera off."; return; }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (s) {
      stream = s;
      video.srcObject = s;
      video.hidden = false;
      button.textContent = "Stop the camera";
      status.textContent = "Hold a badge's QR code up to the camera.";
      return video.play();
    }).then(function () { window.requestAnimationFrame(look); }).catch(function (error) {
      stop();
      status.textContent = "The camera is not available (" + error.name + "): type a name or use a scanner.";
    });
  });
}());
