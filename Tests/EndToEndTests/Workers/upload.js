// upload.js: a multipart/form-data upload: fields and a file, answered with the file's name,
// type, size and SHA-256.
export default {
  async fetch(request) {
    if (request.method !== "POST") return new Response("POST a form\n", { status: 405 });
    const form = await request.formData();
    const file = form.get("file");
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", await file.arrayBuffer()));
    return Response.json({
      title: form.get("title"), name: file.name, type: file.type, size: file.size,
      sha256: [...digest].map((b) => b.toString(16).padStart(2, "0")).join(""),
    });
  },
};
