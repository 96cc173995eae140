//! The page's handle on the Web Worker: starts it, queues requests until it is ready,
//! and hands every decoded [`Response`] to a callback. `restart` cancels whatever the worker
//! is doing by terminating it and starting a fresh one.

use std::{cell::RefCell, rc::Rc};

use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Worker};

use crate::protocol::{Request, Response};

/// URL of the loader script, relative to the page so that sub-path hosting works.
const WORKER_LOADER: &str = "worker-loader.js";

type Callback = Rc<dyn Fn(Response)>;

#[derive(Clone)]
pub struct WorkerClient {
    inner: Rc<RefCell<Inner>>,
}

struct Inner {
    worker: Worker,
    ready: bool,
    /// Envelopes posted before the worker said `Ready` would be lost: they wait here.
    queued: Vec<JsValue>,
    on_response: Callback,
    /// Keeps the current worker's message handler alive.
    _handler: Closure<dyn FnMut(MessageEvent)>,
}

impl WorkerClient {
    pub fn spawn(on_response: impl Fn(Response) + 'static) -> Result<Self, String> {
        let on_response: Callback = Rc::new(on_response);
        let inner = Rc::new_cyclic(|weak: &std::rc::Weak<RefCell<Inner>>| {
            let (worker, handler) = new_worker(weak.clone(), on_response.clone());
            RefCell::new(Inner { worker, ready: false, queued: Vec::new(), on_response, _handler: handler })
        });
        if inner.borrow().worker.is_undefined() {
            return Err("cannot start the worker".into());
        }
        Ok(Self { inner })
    }

    /// Terminates the worker (cancelling its work) and starts a fresh one.
    pub fn restart(&self) {
        let weak = Rc::downgrade(&self.inner);
        let mut inner = self.inner.borrow_mut();
        inner.worker.terminate();
        let (worker, handler) = new_worker(weak, inner.on_response.clone());
        inner.worker = worker;
        inner._handler = handler;
        inner.ready = false;
        inner.queued.clear();
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

fn new_worker(weak: std::rc::Weak<RefCell<Inner>>, on_response: Callback) -> (Worker, Closure<dyn FnMut(MessageEvent)>) {
    let worker = match Worker::new(WORKER_LOADER) {
        Ok(w) => w,
        Err(e) => {
            web_sys::console::error_1(&e);
            JsValue::UNDEFINED.unchecked_into()
        }
    };
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let response = match serde_wasm_bindgen::from_value::<Response>(event.data()) {
            Ok(r) => r,
            Err(e) => Response::Error { id: None, message: format!("internal error: bad worker message ({e})") },
        };
        if response == Response::Ready {
            if let Some(inner) = weak.upgrade() {
                flush(&inner);
            }
        }
        on_response(response);
    });
    if !worker.is_undefined() {
        worker.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    }
    (worker, handler)
}

fn flush(inner: &Rc<RefCell<Inner>>) {
    let mut inner = inner.borrow_mut();
    inner.ready = true;
    for envelope in std::mem::take(&mut inner.queued) {
        let _ = inner.worker.post_message(&envelope);
    }
}
