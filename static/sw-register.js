// Registers the service worker and, when a new version has been installed under a running page,
// offers a reload instead of switching versions underneath it.
if ('serviceWorker' in navigator && location.protocol !== 'file:') {
  navigator.serviceWorker.register('./sw.js', { scope: './' }).then((registration) => {
    const offer = (worker) => {
      if (!navigator.serviceWorker.controller || document.getElementById('update-banner')) return;
      const banner = document.createElement('div');
      banner.id = 'update-banner';
      banner.className = 'update-banner';
      banner.setAttribute('role', 'status');
      banner.textContent = 'A new version of storj-lens is available. ';
      const button = document.createElement('button');
      button.className = 'button primary';
      button.textContent = 'Reload';
      button.addEventListener('click', () => worker.postMessage('skip-waiting'));
      banner.append(button);
      document.body.append(banner);
    };
    if (registration.waiting) offer(registration.waiting);
    registration.addEventListener('updatefound', () => {
      const worker = registration.installing;
      worker?.addEventListener('statechange', () => {
        if (worker.state === 'installed') offer(worker);
      });
    });
    let reloading = false;
    navigator.serviceWorker.addEventListener('controllerchange', () => {
      if (reloading || !document.getElementById('update-banner')) return;
      reloading = true;
      location.reload();
    });
  }).catch((e) => console.warn('storj-lens: offline mode unavailable:', e));
}
