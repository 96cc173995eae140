//! The page's handle on the Web Worker: starts it, queues requests until it is ready,
//! and hands every decoded [`Response`] to a callback.

use std::{cell::RefCell, rc::Rc};

use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Worker};

use crate::protocol::{Request, Response};

/// URL of the loader script, relative to the page so that sub-path hosting works.
const WORKER_LOADER: &str = "worker-loader.js";

#[derive(Clone)]
pub struct WorkerClient {
    inner: Rc<RefCell<Inner>>,
}

struct Inner {
    worker: Worker,
    ready: bool,
    /// Envelopes posted before the worker said `Ready` would be lost: they wait here.
    queued: Vec<JsValue>,
}

impl WorkerClient {
    pub fn spawn(on_response: impl Fn(Response) + 'static) -> Result<Self, String> {
        let worker = Worker::new(WORKER_LOADER).map_err(|e| format!("cannot start the worker: {e:?}"))?;
        let inner = Rc::new(RefCell::new(Inner { worker, ready: false, queued: Vec::new() }));
        let weak = Rc::downgrade(&inner);
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let response = match serde_wasm_bindgen::from_value::<Response>(event.data()) {
                Ok(r) => r,
                Err(e) => Response::Error { message: format!("internal error: bad worker message ({e})") },
            };
            if response == Response::Ready {
                if let Some(inner) = weak.upgrade() {
                    flush(&inner);
                }
            }
            on_response(response);
        });
        inner.borrow().worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget(); // lives as long as the page
        Ok(Self { inner })
    }

    /// Sends a request, with the `File` for [`Request::LoadFile`].
    pub fn send(&self, request: &Request, file: Option<&web_sys::File>) {
        let envelope = js_sys::Object::new();
        let encoded = serde_wasm_bindgen::to_value(request).unwrap_or(JsValue::NULL);
        let _ = js_sys::Reflect::set(&envelope, &"request".into(), &encoded);
        if let Some(file) = file {
            let _ = js_sys::Reflect::set(&envelope, &"file".into(), file);
        }
        let mut inner = self.inner.borrow_mut();
        if inner.ready {
            let _ = inner.worker.post_message(&envelope);
        } else {
            inner.queued.push(envelope.into());
        }
    }
}

fn flush(inner: &Rc<RefCell<Inner>>) {
    let mut inner = inner.borrow_mut();
    inner.ready = true;
    for envelope in std::mem::take(&mut inner.queued) {
        let _ = inner.worker.post_message(&envelope);
    }
}
