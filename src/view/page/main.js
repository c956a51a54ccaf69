document.body.textContent='viewer';
