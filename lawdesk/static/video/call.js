/* The video consultation page: join the Janus VideoRoom with the room's pin and this party's token, publish the
 * camera and microphone, and show the other party's video. No personal data is sent to Janus (the display name
 * is "工作人员" or "群众"). window.lawdeskVideo exposes the subscriber's statistics for the browser test. */
(function () {
  "use strict";
  var box = document.getElementById("video-config");
  if (!box || typeof Janus === "undefined") { return; }
  var cfg = {
    server: box.dataset.server,
    room: Number(box.dataset.room),
    pin: box.dataset.pin,
    token: box.dataset.token,
    display: box.dataset.display,
    iceServers: JSON.parse(document.getElementById("video-ice").textContent || "[]")
  };
  var statusEl = document.querySelector("[data-testid=video-status]");
  var localVideo = document.getElementById("video-local");
  var remoteVideo = document.getElementById("video-remote");
  var state = { janus: null, publisher: null, subscribers: {}, muted: false, cameraOff: false, left: false };
  window.lawdeskVideo = state;

  function say(text) { if (statusEl) { statusEl.textContent = text; } }

  state.framesDecoded = function () {
    var pcs = Object.keys(state.subscribers).map(function (k) {
      var h = state.subscribers[k];
      return h && h.webrtcStuff ? h.webrtcStuff.pc : null;
    }).filter(Boolean);
    return Promise.all(pcs.map(function (pc) { return pc.getStats(); })).then(function (reports) {
      var total = 0;
      reports.forEach(function (report) {
        report.forEach(function (s) {
          if (s.type === "inbound-rtp" && s.kind === "video") { total += s.framesDecoded || 0; }
        });
      });
      return total;
    });
  };

  // The frames received so far, kept fresh for the page's status and the browser test.
  state.frames = 0;
  setInterval(function () { state.framesDecoded().then(function (f) { state.frames = f; }); }, 250);

  function subscribe(feed) {
    if (state.subscribers[feed]) { return; }
    state.subscribers[feed] = "pending";
    var handle = null;
    state.janus.attach({
      plugin: "janus.plugin.videoroom",
      success: function (h) {
        handle = h;
        state.subscribers[feed] = h;
        h.send({ message: { request: "join", ptype: "subscriber", room: cfg.room, pin: cfg.pin, token: cfg.token, feed: feed } });
      },
      error: function () { say("连接对方视频失败，请刷新页面后重试。"); },
      onmessage: function (msg, jsep) {
        if (msg.error) { say("连接对方视频失败：" + msg.error); return; }
        if (jsep) {
          handle.createAnswer({
            jsep: jsep,
            tracks: [{ type: "data" }],
            success: function (answer) { handle.send({ message: { request: "start", room: cfg.room }, jsep: answer }); },
            error: function () { say("连接对方视频失败，请刷新页面后重试。"); }
          });
        }
      },
      onremotetrack: function (track, mid, on) {
        if (!on) { return; }
        var stream = remoteVideo.srcObject instanceof MediaStream ? remoteVideo.srcObject : new MediaStream();
        stream.addTrack(track);
        remoteVideo.srcObject = stream;
        if (track.kind === "video") { say("已接通，正在通话。"); }
      },
      oncleanup: function () {}
    });
  }

  function onPublishers(list) {
    (list || []).forEach(function (p) { subscribe(p.id); });
  }

  function start() {
    state.janus = new Janus({
      server: cfg.server,
      iceServers: cfg.iceServers,
      success: function () {
        state.janus.attach({
          plugin: "janus.plugin.videoroom",
          success: function (h) {
            state.publisher = h;
            h.send({ message: { request: "join", ptype: "publisher", room: cfg.room, pin: cfg.pin, token: cfg.token, display: cfg.display } });
          },
          error: function () { say("无法连接视频服务器，请稍后再试。"); },
          onmessage: function (msg, jsep) {
            var pub = state.publisher;
            if (msg.videoroom === "joined") {
              say("已进入，等待对方……");
              pub.createOffer({
                tracks: [{ type: "audio", capture: true, recv: false }, { type: "video", capture: true, recv: false }],
                success: function (offer) {
                  pub.send({ message: { request: "configure", audio: true, video: true }, jsep: offer });
                },
                error: function () { say("无法使用摄像头或麦克风，请在浏览器中允许后刷新页面。"); }
              });
              onPublishers(msg.publishers);
            } else if (msg.videoroom === "event") {
              onPublishers(msg.publishers);
              if (msg.leaving || msg.unpublished) { say("对方已离开。"); }
              if (msg.error) { say("视频服务器拒绝了请求：" + msg.error); }
            } else if (msg.videoroom === "destroyed") {
              say("本次视频咨询已经结束。");
            }
            if (jsep) { pub.handleRemoteJsep({ jsep: jsep }); }
          },
          onlocaltrack: function (track, on) {
            if (!on || track.kind !== "video") { return; }
            localVideo.srcObject = new MediaStream([track]);
          },
          onremotetrack: function () {},
          oncleanup: function () {}
        });
      },
      error: function () { if (!state.left) { say("与视频服务器的连接中断。"); } },
      destroyed: function () {}
    });
  }

  document.getElementById("video-mute").addEventListener("click", function (e) {
    if (!state.publisher) { return; }
    state.muted = !state.muted;
    if (state.muted) { state.publisher.muteAudio(); } else { state.publisher.unmuteAudio(); }
    e.target.textContent = state.muted ? "取消静音" : "静音";
  });
  document.getElementById("video-camera").addEventListener("click", function (e) {
    if (!state.publisher) { return; }
    state.cameraOff = !state.cameraOff;
    if (state.cameraOff) { state.publisher.muteVideo(); } else { state.publisher.unmuteVideo(); }
    e.target.textContent = state.cameraOff ? "打开摄像头" : "关闭摄像头";
  });
  document.getElementById("video-leave").addEventListener("click", function () {
    state.left = true;
    if (state.janus) { state.janus.destroy({ cleanupHandles: true }); }
    say("您已离开视频咨询。");
  });

  var consent = document.querySelector("[data-testid=video-consent-form]");
  if (consent) {
    consent.addEventListener("submit", function (e) {
      e.preventDefault();
      var box = consent.querySelector("[name=agree]");
      var out = consent.querySelector("[data-testid=video-consent-status]");
      if (box && !box.checked) { out.textContent = "请先勾选同意录制。"; return; }
      fetch(consent.action, { method: "POST", body: new FormData(consent), headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) { out.textContent = data.message; })
        .catch(function () { out.textContent = "提交失败，请稍后再试。"; });
    });
  }

  Janus.init({
    debug: false,
    dependencies: Janus.useDefaultDependencies({ adapter: window.adapter }),
    callback: function () {
      if (!Janus.isWebrtcSupported()) { say("此浏览器不支持视频通话，请使用新版浏览器。"); return; }
      start();
    }
  });
})();
